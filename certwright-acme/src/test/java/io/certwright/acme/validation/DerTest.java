package io.certwright.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DerTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void anOctetStringYieldsItsContent() {
        assertThat(Der.octetString(hex("0403010203"))).containsExactly(1, 2, 3);
        assertThat(Der.octetString(hex("0400"))).isEmpty();
        byte[] longForm = new byte[3 + 200];
        longForm[0] = 0x04;
        longForm[1] = (byte) 0x81;
        longForm[2] = (byte) 200;
        assertThat(Der.octetString(longForm)).hasSize(200);
    }

    @Test
    void anythingButExactlyOneDerOctetStringIsRefused() {
        assertThat(Der.octetString(hex("0303000102"))).as("BIT STRING").isNull();
        assertThat(Der.octetString(hex("040301020304"))).as("trailing byte").isNull();
        assertThat(Der.octetString(hex("04030102"))).as("short").isNull();
        assertThat(Der.octetString(hex("0481030102 03".replace(" ", "")))).as("long form for a short length").isNull();
        assertThat(Der.octetString(hex("0480"))).as("indefinite length").isNull();
        assertThat(Der.octetString(hex("04"))).as("no length").isNull();
    }
}
