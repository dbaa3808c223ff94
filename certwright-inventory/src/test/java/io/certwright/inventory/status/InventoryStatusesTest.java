package io.certwright.inventory.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.inventory.CertificateFacts;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InMemoryInventoryStore;
import io.certwright.inventory.Inventory;
import io.certwright.inventory.OwnershipRules;
import io.certwright.inventory.Place;
import io.certwright.inventory.TestCertificates;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InventoryStatusesTest {

    private static final Instant NOT_BEFORE = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2030-04-01T00:00:00Z");
    private final Inventory inventory = new Inventory(new InMemoryInventoryStore(), OwnershipRules.none(),
            Clock.fixed(NOT_BEFORE, ZoneOffset.UTC));
    private final InventoryStatuses statuses = new InventoryStatuses(ThresholdPolicy.standard(),
            RenewalPolicy.defaults());

    private CertificateState stateAt(X509Certificate cert, Instant now) {
        return statuses.compute(inventory.entries(), now).stateOf(fp(cert)).orElseThrow();
    }

    private static Fingerprint fp(X509Certificate cert) {
        return CertificateFacts.of(cert).fingerprint();
    }

    private static X509Certificate leaf(String dns, Instant from, Instant to) {
        return TestCertificates.leaf().dns(dns).validity(from, to).build();
    }

    @Test
    void statusFollowsTheDefaultThresholdsUpToExpiry() {
        X509Certificate cert = leaf("a.example.com", NOT_BEFORE, NOT_AFTER);
        inventory.recordSeen(List.of(cert), Place.Endpoint.of("a.example.com", 443), NOT_BEFORE, Optional.empty());

        assertThat(stateAt(cert, NOT_AFTER.minus(Duration.ofDays(31))).status()).isEqualTo(CertificateStatus.OK);
        CertificateState at20 = stateAt(cert, NOT_AFTER.minus(Duration.ofDays(20)));
        assertThat(at20.status()).isEqualTo(CertificateStatus.EXPIRING);
        assertThat(at20.crossedThreshold()).contains(Duration.ofDays(30));
        assertThat(stateAt(cert, NOT_AFTER.minus(Duration.ofDays(5))).crossedThreshold()).contains(Duration.ofDays(7));
        assertThat(stateAt(cert, NOT_AFTER.minus(Duration.ofHours(1))).crossedThreshold())
                .contains(Duration.ofDays(1));
        assertThat(stateAt(cert, NOT_AFTER).status()).isEqualTo(CertificateStatus.EXPIRED);
    }

    @Test
    void ownerOverrideChangesThresholds() {
        X509Certificate cert = leaf("b.example.com", NOT_BEFORE, NOT_AFTER);
        inventory.recordSeen(List.of(cert), Place.Endpoint.of("b.example.com", 443), NOT_BEFORE, Optional.empty());
        inventory.assignOwner(fp(cert), "payments", Map.of("environment", "production"));
        InventoryStatuses custom = new InventoryStatuses(new ThresholdPolicy(ExpiryThresholds.defaults(), List.of(
                new ThresholdPolicy.ThresholdOverride(new ThresholdPolicy.LabelIs("environment", "production"),
                        ExpiryThresholds.parse("60d,45d")))), RenewalPolicy.defaults());

        CertificateState s = custom.compute(inventory.entries(), NOT_AFTER.minus(Duration.ofDays(50)))
                .stateOf(fp(cert)).orElseThrow();
        assertThat(s.status()).isEqualTo(CertificateStatus.EXPIRING);
        assertThat(s.crossedThreshold()).contains(Duration.ofDays(60));
    }

    @Test
    void revokedWinsOverExpired() {
        X509Certificate cert = leaf("c.example.com", NOT_BEFORE, NOT_AFTER);
        inventory.recordSeen(List.of(cert), new Place.File("/c.pem"), NOT_BEFORE, Optional.empty());
        inventory.markRevoked(fp(cert), NOT_BEFORE.plusSeconds(5));
        assertThat(stateAt(cert, NOT_AFTER.plusSeconds(1)).status()).isEqualTo(CertificateStatus.REVOKED);
    }

    @Test
    void replacedOnlyWhenEveryPlaceNowServesANewerCertificateCoveringItsNames() {
        X509Certificate old = leaf("d.example.com", NOT_BEFORE, NOT_AFTER);
        X509Certificate renewed = TestCertificates.leaf().dns("d.example.com", "www.d.example.com")
                .validity(NOT_BEFORE.plus(Duration.ofDays(60)), NOT_AFTER.plus(Duration.ofDays(60))).build();
        Place p1 = Place.Endpoint.of("d1", 443);
        Place p2 = Place.Endpoint.of("d2", 443);
        Instant scan1 = NOT_BEFORE.plus(Duration.ofDays(1));
        Instant scan2 = NOT_BEFORE.plus(Duration.ofDays(61));
        inventory.recordSeen(List.of(old), p1, scan1, Optional.empty());
        inventory.recordSeen(List.of(old), p2, scan1, Optional.empty());
        inventory.recordSeen(List.of(renewed), p1, scan2, Optional.empty());
        inventory.recordSeen(List.of(old), p2, scan2, Optional.empty());

        Instant now = NOT_AFTER.minus(Duration.ofDays(2));
        assertThat(stateAt(old, now).status()).isEqualTo(CertificateStatus.EXPIRING);

        inventory.recordSeen(List.of(renewed), p2, scan2.plusSeconds(60), Optional.empty());
        assertThat(stateAt(old, now).status()).isEqualTo(CertificateStatus.REPLACED);
        assertThat(stateAt(old, NOT_AFTER.plusSeconds(1)).status()).isEqualTo(CertificateStatus.REPLACED);
        assertThat(stateAt(renewed, now).status()).isEqualTo(CertificateStatus.OK);
    }

    @Test
    void aNewerCertificateForFewerNamesDoesNotReplace() {
        X509Certificate old = TestCertificates.leaf().dns("e.example.com", "f.example.com")
                .validity(NOT_BEFORE, NOT_AFTER).build();
        X509Certificate narrower = leaf("e.example.com", NOT_BEFORE.plusSeconds(10), NOT_AFTER.plusSeconds(10));
        Place p = Place.Endpoint.of("e", 443);
        inventory.recordSeen(List.of(old), p, NOT_BEFORE, Optional.empty());
        inventory.recordSeen(List.of(narrower), p, NOT_BEFORE.plusSeconds(100), Optional.empty());
        assertThat(stateAt(old, NOT_BEFORE.plusSeconds(200)).status()).isEqualTo(CertificateStatus.OK);
    }

    @Test
    void issuedCertificatePastItsRenewalPointWithoutANewerOneIsRenewalOverdue() {
        Instant from = Instant.parse("2030-01-01T00:00:00Z");
        X509Certificate svid = TestCertificates.leaf().uri("spiffe://example.org/api")
                .validity(from, from.plus(Duration.ofDays(90))).build();
        inventory.recordIssued(svid, List.of());

        assertThat(stateAt(svid, from.plus(Duration.ofDays(59))).status()).isEqualTo(CertificateStatus.OK);
        CertificateState overdue = stateAt(svid, from.plus(Duration.ofDays(61)));
        assertThat(overdue.status()).isEqualTo(CertificateStatus.RENEWAL_OVERDUE);
        assertThat(overdue.crossedThreshold()).contains(Duration.ofDays(30));

        X509Certificate renewal = TestCertificates.leaf().uri("spiffe://example.org/api")
                .validity(from.plus(Duration.ofDays(60)), from.plus(Duration.ofDays(150))).build();
        inventory.recordIssued(renewal, List.of());
        assertThat(stateAt(svid, from.plus(Duration.ofDays(61))).status()).isEqualTo(CertificateStatus.REPLACED);
        assertThat(stateAt(renewal, from.plus(Duration.ofDays(61))).status()).isEqualTo(CertificateStatus.OK);
    }

    @Test
    void discoveredCertificatesAreNeverRenewalOverdue() {
        X509Certificate cert = leaf("g.example.com", NOT_BEFORE, NOT_BEFORE.plus(Duration.ofDays(365)));
        inventory.recordSeen(List.of(cert), Place.Endpoint.of("g", 443), NOT_BEFORE, Optional.empty());
        assertThat(stateAt(cert, NOT_BEFORE.plus(Duration.ofDays(300))).status()).isEqualTo(CertificateStatus.OK);
    }

    @Test
    void countsCoverEveryStatus() {
        X509Certificate cert = leaf("h.example.com", NOT_BEFORE, NOT_AFTER);
        inventory.recordSeen(List.of(cert), Place.Endpoint.of("h", 443), NOT_BEFORE, Optional.empty());
        Map<CertificateStatus, Long> counts = statuses.compute(inventory.entries(), NOT_AFTER).counts();
        assertThat(counts).hasSize(CertificateStatus.values().length);
        assertThat(counts.get(CertificateStatus.EXPIRED)).isEqualTo(1L);
        assertThat(counts.get(CertificateStatus.OK)).isZero();
    }

    @Test
    void wireNamesRoundTrip() {
        for (CertificateStatus s : CertificateStatus.values()) {
            assertThat(CertificateStatus.fromWireName(s.wireName())).isEqualTo(s);
        }
    }
}
