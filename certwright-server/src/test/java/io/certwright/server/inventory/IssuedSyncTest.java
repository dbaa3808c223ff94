package io.certwright.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.InMemoryLedger;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Issuer;
import io.certwright.ca.Pem;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.KeyAlgorithm;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.Inventory;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.OwnershipRules;
import io.certwright.inventory.Place;
import io.certwright.store.Database;
import io.certwright.store.JdbcCertificateStore;
import io.certwright.store.JdbcInventoryStore;
import io.certwright.store.StoreConfig;
import io.certwright.testing.MutableClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// The ledger follower over a real SQLite ledger and inventory, fed by a real CA, with the clock moved by hand.
/// A second follower over the same database stands in for a restarted server (or another replica), which
/// walks the ledger from its start.
class IssuedSyncTest {

    @TempDir
    Path dir;

    MutableClock clock;
    Database db;
    JdbcCertificateStore ledger;
    Inventory inventory;
    CertificateAuthority ca;
    CaMaterial material;

    @BeforeEach
    void setUp() throws Exception {
        CryptoProviders.installPreferred();
        clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
        db = Database.open(StoreConfig.sqlite(dir.resolve("certwright.db")), clock);
        ledger = new JdbcCertificateStore(db);
        inventory = new Inventory(new JdbcInventoryStore(db), OwnershipRules.none(), clock);
        // The CA's own certificates go to a ledger of their own: the follower sees only what the CA issues.
        material = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Sync"), clock, new SecureRandom(),
                new InMemoryLedger());
        var key = JcaSigningKey.of(KeyAlgorithm.P256, material.intermediateKey(), material.intermediate().getPublicKey());
        ca = new CertificateAuthority(new Issuer(material.intermediate(), List.of(), key, Optional.empty()),
                List.of(material.root()), CaSettings.defaults(List.of()), ledger.ledger(), clock, new SecureRandom());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private IssuedSync follower() {
        return new IssuedSync(ledger, inventory, () -> List.of(material.intermediate()), clock);
    }

    private IssuedCertificate issue(String dns) throws Exception {
        return ca.issue(new IssuanceRequest(Profile.SERVER, CryptoProviders.generate(KeyAlgorithm.P256).getPublic(),
                Optional.empty(), new SubjectNames(List.of(dns), List.of(), List.of(), List.of()),
                Optional.of(Duration.ofHours(1))));
    }

    private void revoke(IssuedCertificate c) throws Exception {
        ledger.revoke(c.serial(), RevocationReason.KEY_COMPROMISE, clock.instant(),
                AuditEvent.success("test", "certificate.revoke", c.serial().hex(), Map.of()));
    }

    private static Fingerprint fingerprint(IssuedCertificate c) {
        return EncodedCertificate.of(c.certificate()).fingerprint();
    }

    private InventoryEntry entry(IssuedCertificate c) {
        return inventory.find(fingerprint(c)).orElseThrow();
    }

    @Test
    void newlySignedCertificatesAreRecordedOnceAsIssuedByUsWithTheIssuingChain() throws Exception {
        IssuedCertificate a = issue("a.sync.test");
        IssuedCertificate b = issue("b.sync.test");
        IssuedSync sync = follower();

        assertThat(sync.run()).isEqualTo(new IssuedSync.Summary(2, 0));

        for (IssuedCertificate c : List.of(a, b)) {
            InventoryEntry e = entry(c);
            assertThat(e.issuedByUs()).isTrue();
            assertThat(e.revokedAt()).isEmpty();
            assertThat(e.certificate()).isEqualTo(EncodedCertificate.of(c.certificate()));
            assertThat(e.chain()).containsExactly(EncodedCertificate.of(material.intermediate()));
        }
        assertThat(sync.run()).isEqualTo(new IssuedSync.Summary(0, 0));
    }

    @Test
    void aFollowerStartingOverWalksTheLedgerWithoutCountingOrRewritingWhatTheInventoryHolds() throws Exception {
        IssuedCertificate a = issue("a.sync.test");
        IssuedCertificate b = issue("b.sync.test");
        assertThat(follower().run()).isEqualTo(new IssuedSync.Summary(2, 0));
        List<InventoryEntry> before = List.of(entry(a), entry(b));
        clock.advance(Duration.ofMinutes(10));

        assertThat(follower().run()).isEqualTo(new IssuedSync.Summary(0, 0));

        assertThat(List.of(entry(a), entry(b))).isEqualTo(before);
    }

    @Test
    void aCertificateSeenBeforeItWasFollowedIsFlaggedIssuedByUsAndKeepsWhereItWasSeen() throws Exception {
        IssuedCertificate c = issue("seen.sync.test");
        inventory.recordSeen(List.of(c.certificate()), new Place.File("/etc/ssl/seen.pem"), clock.instant(),
                Optional.empty());
        assertThat(entry(c).issuedByUs()).isFalse();

        assertThat(follower().run()).isEqualTo(new IssuedSync.Summary(1, 0));

        InventoryEntry e = entry(c);
        assertThat(e.issuedByUs()).isTrue();
        assertThat(e.sightings()).extracting(s -> s.place()).containsExactly(new Place.File("/etc/ssl/seen.pem"));
        assertThat(follower().run()).isEqualTo(new IssuedSync.Summary(0, 0));
    }

    @Test
    void aCertificateRevokedBeforeItsFirstSyncIsRecordedRevokedAndCountedOnce() throws Exception {
        IssuedCertificate c = issue("early.sync.test");
        revoke(c);

        assertThat(follower().run()).isEqualTo(new IssuedSync.Summary(1, 1));

        assertThat(entry(c).revokedAt()).hasValue(clock.instant());
        assertThat(follower().run()).isEqualTo(new IssuedSync.Summary(0, 0));
    }

    @Test
    void aRevocationAfterTheCertificateWasRecordedIsFollowedOnce() throws Exception {
        IssuedCertificate c = issue("late.sync.test");
        IssuedSync sync = follower();
        assertThat(sync.run()).isEqualTo(new IssuedSync.Summary(1, 0));
        clock.advance(Duration.ofMinutes(1));
        revoke(c);

        assertThat(sync.run()).isEqualTo(new IssuedSync.Summary(0, 1));

        assertThat(entry(c).revokedAt()).hasValue(clock.instant());
        assertThat(sync.run()).isEqualTo(new IssuedSync.Summary(0, 0));
    }

    @ParameterizedTest
    // Not Base64; Base64 of "not a certificate"; no content at all.
    @ValueSource(strings = {"not base64 !", "bm90IGEgY2VydGlmaWNhdGU=", ""})
    void aLedgerRowWhoseCertificateDoesNotParseIsLeftOutAndTheRowsAfterItAreRecorded(String body) throws Exception {
        IssuedCertificate broken = issue("broken.sync.test");
        IssuedCertificate fine = issue("fine.sync.test");
        String stored = Pem.certificate(broken.certificate());
        String garbled = "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("certwright.db"));
                PreparedStatement ps = c.prepareStatement("UPDATE certificates SET pem = ? WHERE pem = ?")) {
            ps.setString(1, garbled);
            ps.setString(2, stored);
            assertThat(ps.executeUpdate()).isOne();
        }
        revoke(broken);

        assertThat(follower().run()).isEqualTo(new IssuedSync.Summary(1, 0));

        assertThat(inventory.entries()).extracting(InventoryEntry::certificate)
                .containsExactly(EncodedCertificate.of(fine.certificate()));
    }
}
