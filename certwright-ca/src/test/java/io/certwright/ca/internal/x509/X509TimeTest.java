package io.certwright.ca.internal.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

class X509TimeTest {

    private static Time utc(String text) {
        return new Time(new DERUTCTime(text));
    }

    private static Time generalized(String text) {
        return new Time(new ASN1GeneralizedTime(text));
    }

    @Test
    void decodeReadsWhatEncodeWritesOnBothSidesOf2050() throws Exception {
        for (String t : new String[] {"1950-01-01T00:00:00Z", "2026-12-01T01:02:03Z", "2049-12-31T23:59:59Z",
                "2050-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
            Instant instant = Instant.parse(t);
            Time encoded = Time.getInstance(ASN1Primitive.fromByteArray(X509Time.der(instant)));
            assertThat(X509Time.decode(encoded)).as(t).isEqualTo(instant);
        }
    }

    @Test
    void utcTimeYearsBelowFiftyAreInTheTwentyFirstCentury() {
        assertThat(X509Time.decode(utc("491231235959Z"))).isEqualTo(Instant.parse("2049-12-31T23:59:59Z"));
        assertThat(X509Time.decode(utc("500101000000Z"))).isEqualTo(Instant.parse("1950-01-01T00:00:00Z"));
    }

    @Test
    void decodeRefusesDatesThatDoNotExistInsteadOfAdjustingThem() {
        for (Time bad : new Time[] {utc("260230000000Z"), utc("261301000000Z"), utc("261201240000Z"),
                utc("261201236000Z"), generalized("20260230000000Z")}) {
            assertThatThrownBy(() -> X509Time.decode(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid time");
        }
    }

    @Test
    void decodeRefusesFractionsAndLocalTimes() {
        assertThatThrownBy(() -> X509Time.decode(generalized("20261201010203.5Z")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> X509Time.decode(generalized("20261201010203")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
