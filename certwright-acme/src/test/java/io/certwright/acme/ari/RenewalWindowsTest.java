package io.certwright.acme.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.acme.AcmeException;
import io.certwright.acme.store.RenewalOverride;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.core.SerialNumber;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RenewalWindowsTest {

    private static final Instant NB = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NA = NB.plus(Duration.ofHours(90));

    @Test
    void theDefaultWindowIsANinthOfTheValidityInsideTheMiddleThird() {
        for (int i = 1; i < 200; i++) {
            RenewalWindow w = RenewalWindows.standard(NB, NA, new SerialNumber(BigInteger.valueOf(i * 7919L)));
            assertThat(Duration.between(w.start(), w.end())).isEqualTo(Duration.ofHours(10));
            assertThat(w.start()).isAfterOrEqualTo(NB.plus(Duration.ofHours(30)));
            assertThat(w.end()).isBeforeOrEqualTo(NB.plus(Duration.ofHours(60)));
        }
    }

    @Test
    void theDefaultWindowIsStablePerSerialAndSpreadAcrossSerials() {
        SerialNumber s = new SerialNumber(new BigInteger("123456789abcdef", 16));
        assertThat(RenewalWindows.standard(NB, NA, s)).isEqualTo(RenewalWindows.standard(NB, NA, s));
        Set<Instant> starts = new HashSet<>();
        for (int i = 1; i <= 100; i++) {
            starts.add(RenewalWindows.standard(NB, NA, new SerialNumber(BigInteger.valueOf(i))).start());
        }
        assertThat(starts).hasSizeGreaterThan(90);
    }

    @Test
    void theNewestSelectingOverrideWinsAndOthersAreIgnored() {
        SerialNumber s = new SerialNumber(BigInteger.TEN);
        KeyIdentifier issuer = KeyIdentifier.parse("0102");
        RenewalOverride old = override(Optional.empty(), Optional.empty(), NB.plusSeconds(1), 1);
        RenewalOverride newer = override(Optional.of("0a"), Optional.of("0102"), NB.plusSeconds(1), 2);
        RenewalOverride otherSerial = override(Optional.of("0b"), Optional.empty(), NB.plusSeconds(1), 3);
        RenewalOverride otherIssuer = override(Optional.empty(), Optional.of("0303"), NB.plusSeconds(1), 4);
        RenewalOverride tooEarly = override(Optional.empty(), Optional.empty(), NB, 5);
        RenewalWindow w = RenewalWindows.suggest(NB, NA, s, Optional.of(issuer), false,
                List.of(old, newer, otherSerial, otherIssuer, tooEarly), NB);
        assertThat(w.start()).isEqualTo(newer.windowStart());
    }

    @Test
    void aRevokedCertificateShouldRenewNow() {
        Instant now = NB.plus(Duration.ofHours(5));
        RenewalWindow w = RenewalWindows.suggest(NB, NA, new SerialNumber(BigInteger.ONE), Optional.empty(), true,
                List.of(), now);
        assertThat(w.start()).isBefore(now);
    }

    private static RenewalOverride override(Optional<String> serial, Optional<String> issuer, Instant before, int n) {
        return new RenewalOverride("o" + n, serial, issuer, before, NB.plusSeconds(n * 100L), NB.plusSeconds(n * 100L + 50),
                Optional.empty(), NB.plusSeconds(n));
    }

    @Test
    void aCertificateIdCarriesTheSerialsDerContentOctets() throws Exception {
        // A serial with its top bit set needs a leading zero octet in DER.
        CertificateId id = new CertificateId(KeyIdentifier.parse("69:88:5b:6b:87:46:40:41:e1:b3:7b:84:7b:a0:ae:2c:de:01:c8:d4"),
                new SerialNumber(new BigInteger("87654321", 16)));
        assertThat(id.toString()).isEqualTo("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
        assertThat(CertificateId.parse(id.toString())).isEqualTo(id);
    }

    @Test
    void aCertificateIdWithANonMinimalOrNegativeSerialIsMalformed() {
        assertThrows(AcmeException.class, () -> CertificateId.parse("aYhb.AAE"));
        assertThrows(AcmeException.class, () -> CertificateId.parse("aYhb.gQ"));
        assertThrows(AcmeException.class, () -> CertificateId.parse("aYhb"));
        assertThrows(AcmeException.class, () -> CertificateId.parse("aYhb.AQ.AQ"));
        assertThrows(AcmeException.class, () -> CertificateId.parse("aY+b.AQ"));
    }
}
