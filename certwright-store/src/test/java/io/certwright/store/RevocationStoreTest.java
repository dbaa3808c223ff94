package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.Pem;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.registry.RevocationSelector;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.testing.TestCa;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Revocation storage on one engine at scale and across upgrades: bulk revocation in batched transactions,
/// what a failed batch leaves behind, streaming a large CRL list, and the migration that records the
/// issuing key of certificates stored before it existed.
abstract class RevocationStoreTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final KeyIdentifier ISSUER = KeyIdentifier.parse("0102030405060708090a0b0c0d0e0f1011121314");
    private static final KeyIdentifier OTHER = KeyIdentifier.parse("ff02030405060708090a0b0c0d0e0f1011121314");
    private static final int MANY = 20_000;

    private final TestDatabases dbs = new TestDatabases(engine());

    abstract TestDatabases.Engine engine();

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    private static AuditEvent event(SerialNumber serial) {
        return AuditEvent.success("token:admin", "certificate.revoke", serial.hex(), Map.of("reason", "cACompromise"));
    }

    @Test
    void bulkRevocationOfTwentyThousandCertificatesAuditsEachInBatchedTransactions() throws Exception {
        Database db = dbs.open(Clock.fixed(NOW, ZoneOffset.UTC));
        JdbcCertificateStore store = new JdbcCertificateStore(db);
        JdbcAuditLog audit = new JdbcAuditLog(db);
        List<SerialNumber> signed = SignedRows.insert(db, MANY, ISSUER, NOW);
        List<SerialNumber> untouched = SignedRows.insert(db, 50, OTHER, NOW);
        long commitsBefore = db.commits();

        List<SerialNumber> revoked = store.revokeAll(new RevocationSelector.ByIssuerKey(ISSUER),
                RevocationReason.CA_COMPROMISE, NOW.plusSeconds(1), RevocationStoreTest::event);

        assertThat(revoked).hasSize(MANY).doesNotHaveDuplicates();
        assertThat(new HashSet<>(revoked)).isEqualTo(new HashSet<>(signed));
        long batches = (MANY + JdbcCertificateStore.BULK_BATCH - 1) / JdbcCertificateStore.BULK_BATCH;
        assertThat(db.commits() - commitsBefore).isEqualTo(batches);
        assertThat(audit.size()).isEqualTo(MANY);
        assertThat(audit.verify()).isEmpty();
        assertThat(store.revocationSequence(ISSUER)).isEqualTo(MANY);
        AtomicLong streamed = new AtomicLong();
        assertThat(store.forEachRevoked(ISSUER, NOW, r -> {
            assertThat(r.reason()).isEqualTo(RevocationReason.CA_COMPROMISE);
            streamed.incrementAndGet();
        })).isEqualTo(MANY);
        assertThat(streamed).hasValue(MANY);
        assertThat(store.status(untouched.getFirst()).orElseThrow().status()).isEqualTo(CertificateStatus.VALID);
        assertThat(store.revocationSequence(OTHER)).isZero();
    }

    @Test
    void aBatchWhoseAuditFailsRevokesNothingWhileEarlierBatchesStayRevoked() throws Exception {
        Database db = dbs.open(Clock.fixed(NOW, ZoneOffset.UTC));
        JdbcCertificateStore store = new JdbcCertificateStore(db);
        JdbcAuditLog audit = new JdbcAuditLog(db);
        int total = JdbcCertificateStore.BULK_BATCH * 2 + 200;
        SignedRows.insert(db, total, ISSUER, NOW);
        AtomicInteger appends = new AtomicInteger();
        // Every audit append after the first batch's fails (a write group may run its tasks twice).
        db.beforeAuditAppend(c -> {
            if (appends.incrementAndGet() >= 2) {
                throw new SQLException("disk full");
            }
        });
        RevocationSelector selector = new RevocationSelector.ByIssuerKey(ISSUER);

        assertThatThrownBy(() -> store.revokeAll(selector, RevocationReason.KEY_COMPROMISE, NOW,
                RevocationStoreTest::event)).isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RegistryException.Kind.STORAGE);
                    assertThat(e).hasMessageContaining("after revoking " + JdbcCertificateStore.BULK_BATCH + " of "
                            + total);
                });

        assertThat(audit.size()).isEqualTo(JdbcCertificateStore.BULK_BATCH);
        assertThat(store.forEachRevoked(ISSUER, NOW, r -> { })).isEqualTo(JdbcCertificateStore.BULK_BATCH);
        assertThat(store.revocationSequence(ISSUER)).isEqualTo(JdbcCertificateStore.BULK_BATCH);
        db.beforeAuditAppend(null);
        assertThat(store.revokeAll(selector, RevocationReason.KEY_COMPROMISE, NOW, RevocationStoreTest::event))
                .hasSize(total - JdbcCertificateStore.BULK_BATCH);
        assertThat(audit.size()).isEqualTo(total);
        assertThat(audit.verify()).isEmpty();
    }

    @Test
    void upgradingRecordsTheIssuingKeyOfCertificatesStoredBeforeAndCountsTheirRevocations() throws Exception {
        TestCa ca = TestCa.builder(KeyAlgorithm.P256).name("Upgrade").clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        X509Certificate valid = ca.issueServer(Duration.ofHours(1), "valid.example.com").certificate();
        X509Certificate revoked = ca.issueServer(Duration.ofHours(1), "revoked.example.com").certificate();
        StoreConfig config = dbs.config();
        Database.migrateTo(config, "1");
        SerialNumber pending = new SerialNumber(BigInteger.valueOf(0x0a));
        SerialNumber garbage = new SerialNumber(BigInteger.valueOf(0x0b));
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.username().orElse(null),
                config.password().orElse(null))) {
            insertV1(c, serial(valid), "valid", Pem.certificate(valid), null);
            insertV1(c, serial(revoked), "revoked", Pem.certificate(revoked), 1);
            insertV1(c, pending, "pending", null, null);
            insertV1(c, garbage, "valid", "-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n", null);
        }

        JdbcCertificateStore store = new JdbcCertificateStore(dbs.reopen(config));

        KeyIdentifier key = KeyIdentifier.subjectKeyOf(ca.intermediate());
        assertThat(store.find(serial(valid)).orElseThrow().issuerKeyId()).contains(key);
        assertThat(store.status(serial(revoked)).orElseThrow().issuerKeyId()).contains(key);
        assertThat(store.find(pending).orElseThrow().issuerKeyId()).isEmpty();
        assertThat(store.find(garbage).orElseThrow().issuerKeyId()).isEmpty();
        assertThat(store.revocationSequence(key)).isEqualTo(1);
        assertThat(store.forEachRevoked(key, NOW, r -> { })).isEqualTo(1);
        assertThat(store.revokeAll(new RevocationSelector.ByIssuerKey(key), RevocationReason.SUPERSEDED, NOW,
                RevocationStoreTest::event)).containsExactly(serial(valid));
        assertThat(store.revocationSequence(key)).isEqualTo(2);
    }

    private static SerialNumber serial(X509Certificate cert) {
        return new SerialNumber(cert.getSerialNumber());
    }

    /// A row as schema version 1 stored it.
    private static void insertV1(Connection c, SerialNumber serial, String status, @Nullable String pem,
            @Nullable Integer reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO certificates (serial, status, requester, "
                + "provisioner, tbs_sha256, names, not_before, not_after, profile, subject, recorded_at, pem, "
                + "revoked_at, revocation_reason) VALUES (?, ?, 'token:old', 'admin-api', 'aa', '[]', ?, ?, "
                + "'server', 'CN=old', ?, ?, ?, ?)")) {
            ps.setString(1, Codec.serialKey(serial));
            ps.setString(2, status);
            ps.setLong(3, NOW.toEpochMilli());
            ps.setLong(4, NOW.plus(Duration.ofHours(1)).toEpochMilli());
            ps.setLong(5, NOW.toEpochMilli());
            ps.setString(6, pem);
            if (reason == null) {
                ps.setNull(7, Types.BIGINT);
                ps.setNull(8, Types.INTEGER);
            } else {
                ps.setLong(7, NOW.toEpochMilli());
                ps.setInt(8, reason);
            }
            ps.executeUpdate();
        }
    }
}
