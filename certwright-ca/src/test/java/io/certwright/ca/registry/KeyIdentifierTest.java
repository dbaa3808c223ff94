package io.certwright.ca.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSpec;
import io.certwright.ca.internal.x509.TbsBuilder;
import io.certwright.core.KeyAlgorithm;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyIdentifierTest {

    private static CaMaterial ca;

    @BeforeAll
    static void createCa() throws Exception {
        ca = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Key Identifier Test"), Clock.systemUTC(),
                new SecureRandom(), null);
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void anIntermediateNamesItsRootsKeyAsAuthority() {
        assertThat(KeyIdentifier.authorityKeyOf(ca.intermediate()))
                .contains(KeyIdentifier.subjectKeyOf(ca.root()));
        assertThat(KeyIdentifier.authorityKeyOf(ca.root())).contains(KeyIdentifier.subjectKeyOf(ca.root()));
        assertThat(KeyIdentifier.subjectKeyOf(ca.intermediate())).isNotEqualTo(KeyIdentifier.subjectKeyOf(ca.root()));
    }

    @Test
    void subjectKeyIsRfc5280MethodOneForCertificatesThisCaMakes() {
        assertThat(KeyIdentifier.subjectKeyOf(ca.intermediate()).octets())
                .isEqualTo(TbsBuilder.keyIdentifier(ca.intermediate().getPublicKey()));
    }

    @Test
    void authorityExtensionWithAKeyIdentifierYieldsIt() {
        // OCTET STRING { SEQUENCE { [0] 01 02 03 } }
        assertThat(KeyIdentifier.ofAuthorityKeyExtension(hex("04 07 30 05 80 03 01 02 03")))
                .contains(KeyIdentifier.parse("010203"));
        // the same with a long-form length
        assertThat(KeyIdentifier.ofAuthorityKeyExtension(hex("04 08 30 06 80 81 03 01 02 03")))
                .contains(KeyIdentifier.parse("010203"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "empty,                                   ''",
        "only issuer serial [2],                  04 07 30 05 82 03 01 02 03",
        "empty sequence,                          04 02 30 00",
        "wrong outer tag,                         03 07 30 05 80 03 01 02 03",
        "truncated,                               04 07 30 05 80 03 01",
        "inner length past the end,               04 07 30 05 80 7f 01 02 03",
        "huge long-form length,                   04 09 30 07 80 84 ff ff ff ff 01",
        "indefinite length,                       04 07 30 80 80 03 01 02 03",
        "five length octets,                      04 0a 30 08 80 85 00 00 00 00 03 01",
        "empty key identifier,                    04 04 30 02 80 00",
        "lone tag,                                04"
    })
    void malformedAuthorityExtensionsYieldNothing(String name, String ext) {
        assertThat(KeyIdentifier.ofAuthorityKeyExtension(hex(ext))).as(name).isEmpty();
    }

    @Test
    void anIdentifierLongerThanTheLimitIsIgnored() {
        byte[] ext = new byte[6 + KeyIdentifier.MAX_OCTETS + 1];
        ext[0] = 0x04;
        ext[1] = (byte) (ext.length - 2);
        ext[2] = 0x30;
        ext[3] = (byte) (ext.length - 4);
        ext[4] = (byte) 0x80;
        ext[5] = (byte) (KeyIdentifier.MAX_OCTETS + 1);

        assertThat(KeyIdentifier.ofAuthorityKeyExtension(ext)).isEmpty();
    }

    @Test
    void subjectExtensionYieldsTheInnerOctets() {
        assertThat(KeyIdentifier.ofSubjectKeyExtension(hex("04 05 04 03 0a 0b 0c"))).contains(KeyIdentifier.parse("0A:0B:0C"));
        assertThat(KeyIdentifier.ofSubjectKeyExtension(hex("04 05 04 04 0a 0b 0c"))).isEmpty();
    }

    @Test
    void textIsNormalisedToLowercaseHexWithoutSeparators() {
        KeyIdentifier id = KeyIdentifier.parse(" AB:cd:01 ");

        assertThat(id.hex()).isEqualTo("abcd01");
        assertThat(id).hasToString("abcd01").isEqualTo(KeyIdentifier.of(new byte[] {(byte) 0xab, (byte) 0xcd, 1}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "zz", "ab cd"})
    void textThatIsNotWholeOctetsOfHexIsRefused(String text) {
        assertThatThrownBy(() -> KeyIdentifier.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIdentifierOverTheLimitIsRefused() {
        assertThatThrownBy(() -> KeyIdentifier.of(new byte[KeyIdentifier.MAX_OCTETS + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
