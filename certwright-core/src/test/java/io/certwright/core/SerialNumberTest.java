package io.certwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SerialNumberTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @RepeatedTest(20)
    void randomSerialHas128BitsIsPositiveAndEncodesIn17Octets() {
        SerialNumber s = SerialNumber.random(RANDOM);

        assertThat(s.value().signum()).isPositive();
        assertThat(s.value().bitLength()).isEqualTo(SerialNumber.RANDOM_BITS).isEqualTo(128);
        // DER INTEGER content octets are the two's-complement bytes: a leading zero keeps it positive.
        assertThat(s.value().toByteArray()).hasSize(17).startsWith((byte) 0);
    }

    @Test
    void randomSerialsDiffer() {
        Set<SerialNumber> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(SerialNumber.random(RANDOM));
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void randomSerialUsesTheGivenRandomSource() {
        SecureRandom a = deterministic();
        SecureRandom b = deterministic();

        assertThat(SerialNumber.random(a)).isEqualTo(SerialNumber.random(b));
    }

    private static SecureRandom deterministic() {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) (i * 7 + 1);
                }
            }
        };
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "fail zero, 0, serial number must be positive",
            "fail negative, -1, serial number must be positive",
            "fail 21 octets, 800000000000000000000000000000000000000000, serial number is longer than 20 octets"
    })
    void constructorRefusesInvalidSerials(String name, String hex, String message) {
        BigInteger v = new BigInteger(hex, 16);

        assertThatThrownBy(() -> new SerialNumber(v)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void twentyOctetSerialIsAccepted() {
        BigInteger largest = BigInteger.ONE.shiftLeft(159).subtract(BigInteger.ONE);

        assertThat(new SerialNumber(largest).value().toByteArray()).hasSize(20);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "ok lowercase, 0a1b, 2587",
            "ok uppercase, 0A1B, 2587",
            "ok colon separated, 0A:1B, 2587",
            "ok odd length, a1b, 2587"
    })
    void parseHexAcceptsHexWithOrWithoutColons(String name, String hex, long value) {
        assertThat(SerialNumber.parseHex(hex).value()).isEqualTo(BigInteger.valueOf(value));
    }

    @ParameterizedTest(name = "{0}: ''{1}''")
    @CsvSource({
            "fail empty, ''",
            "fail only colons, ':'",
            "fail not hex, xyz",
            "fail zero, 00"
    })
    void parseHexRefusesNonSerials(String name, String hex) {
        assertThatThrownBy(() -> SerialNumber.parseHex(hex)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hexIsLowercaseEvenLength() {
        assertThat(new SerialNumber(BigInteger.valueOf(0xabc)).hex()).isEqualTo("0abc");
        assertThat(new SerialNumber(BigInteger.valueOf(0xabc))).hasToString("0abc");
    }

    @Test
    void colonHexIsUppercaseOctetsWithoutSignOctet() {
        assertThat(new SerialNumber(BigInteger.valueOf(0xff01)).colonHex()).isEqualTo("FF:01");
        assertThat(new SerialNumber(BigInteger.valueOf(0x0a)).colonHex()).isEqualTo("0A");
    }

    @Property
    void hexAndColonHexRoundTrip(@ForAll @BigRange(min = "1", max = "730750818665451459101842416358141509827966271487")
            BigInteger value) {
        SerialNumber s = new SerialNumber(value);

        assertThat(SerialNumber.parseHex(s.hex())).isEqualTo(s);
        assertThat(SerialNumber.parseHex(s.colonHex())).isEqualTo(s);
    }
}
