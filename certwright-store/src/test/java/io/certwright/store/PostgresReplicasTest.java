package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.LedgerException;
import io.certwright.ca.PendingCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.CrlPublication;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.PublishedCrl;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.registry.RevocationSelector;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import io.certwright.testing.Concurrently;
import io.certwright.testing.TestCa;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Two server replicas on one PostgreSQL database: two [Database] instances (each with its own pool and
/// group-commit writer) on the same database, written concurrently. Audit appends from both form one
/// gapless, verifiable chain, neither replica's certificate records are lost or doubled, CRL numbers are
/// never published twice nor go backwards, and a bulk revocation run on both revokes each certificate once.
class PostgresReplicasTest {

    private static final int THREADS_PER_REPLICA = 8;
    private static final int AUDIT_EVENTS = 200;
    private static final int PENDING_PER_THREAD = 15;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.POSTGRES);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    /// Two replicas opened on one fresh PostgreSQL database.
    private List<Database> twoReplicas() throws Exception {
        StoreConfig config = dbs.config();
        List<Database> replicas = List.of(dbs.reopen(config), dbs.reopen(config));
        assertThat(replicas).allSatisfy(db -> assertThat(db.isPostgres()).isTrue());
        return replicas;
    }

    private static PendingCertificate pending(SerialNumber serial, String replica) {
        byte[] h = new byte[32];
        RANDOM.nextBytes(h);
        return new PendingCertificate(serial, Profile.SERVER, "CN=replica", List.of(replica + ".example.com"),
                new Validity(NOW, NOW.plus(Duration.ofDays(1))), HexFormat.of().formatHex(h), NOW,
                new Requester("token:" + replica, "admin-api"));
    }

    @Test
    void auditAppendsFromTwoReplicasFormOneGaplessVerifiableChain() throws Exception {
        List<Database> replicas = twoReplicas();
        int threads = THREADS_PER_REPLICA * replicas.size();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<AuditEntry>>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int replica = t % replicas.size();
            JdbcAuditLog log = new JdbcAuditLog(replicas.get(replica));
            int events = AUDIT_EVENTS / threads + (t < AUDIT_EVENTS % threads ? 1 : 0);
            String actor = "replica-" + replica + "/thread-" + t;
            tasks.add(() -> {
                start.await();
                List<AuditEntry> appended = new ArrayList<>();
                for (int i = 0; i < events; i++) {
                    appended.add(log.append(AuditEvent.success(actor, "test.append", actor + "/" + i,
                            Map.of("n", Integer.toString(i)))));
                }
                return appended;
            });
        }

        List<AuditEntry> appended = Concurrently.run(tasks, start).stream().flatMap(List::stream).toList();

        assertThat(appended).hasSize(AUDIT_EVENTS);
        // No two appends were handed the same link, whichever replica made them.
        assertThat(appended).extracting(AuditEntry::sequence).doesNotHaveDuplicates();
        assertThat(appended).extracting(AuditEntry::hash).doesNotHaveDuplicates();
        for (Database db : replicas) {
            JdbcAuditLog log = new JdbcAuditLog(db);
            assertThat(log.size()).isEqualTo(AUDIT_EVENTS);
            assertThat(log.verify()).isEmpty();
            List<AuditEntry> stored = log.read(1, AUDIT_EVENTS + 1);
            assertThat(stored).extracting(AuditEntry::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, AUDIT_EVENTS).boxed().toList());
            assertThat(stored).containsExactlyInAnyOrderElementsOf(appended);
        }
    }

    @Test
    void pendingCertificatesRecordedConcurrentlyOnTwoReplicasAreAllKeptOnce() throws Exception {
        List<Database> replicas = twoReplicas();
        List<JdbcCertificateStore> stores = replicas.stream().map(JdbcCertificateStore::new).toList();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<SerialNumber>>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS_PER_REPLICA * stores.size(); t++) {
            int replica = t % stores.size();
            JdbcCertificateStore store = stores.get(replica);
            tasks.add(() -> {
                start.await();
                List<SerialNumber> recorded = new ArrayList<>();
                for (int i = 0; i < PENDING_PER_THREAD; i++) {
                    SerialNumber serial = SerialNumber.random(RANDOM);
                    store.recordPending(pending(serial, "replica-" + replica));
                    recorded.add(serial);
                }
                return recorded;
            });
        }

        List<SerialNumber> recorded = Concurrently.run(tasks, start).stream().flatMap(List::stream).toList();

        assertThat(recorded).hasSize(THREADS_PER_REPLICA * stores.size() * PENDING_PER_THREAD);
        for (JdbcCertificateStore store : stores) {
            assertThat(store.entries()).extracting(e -> e.pending().serial())
                    .containsExactlyInAnyOrderElementsOf(recorded);
            for (SerialNumber serial : recorded) {
                assertThat(store.find(serial)).hasValueSatisfying(
                        r -> assertThat(r.status()).isEqualTo(CertificateStatus.PENDING));
            }
        }
    }

    @Test
    void oneSerialRecordedOnBothReplicasAtOnceIsRecordedExactlyOnce() throws Exception {
        List<Database> replicas = twoReplicas();
        List<JdbcCertificateStore> stores = replicas.stream().map(JdbcCertificateStore::new).toList();
        int rounds = 50;
        for (int round = 0; round < rounds; round++) {
            SerialNumber serial = SerialNumber.random(RANDOM);
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Optional<LedgerException>>> tasks = new ArrayList<>();
            for (int r = 0; r < stores.size(); r++) {
                JdbcCertificateStore store = stores.get(r);
                PendingCertificate p = pending(serial, "replica-" + r);
                tasks.add(() -> {
                    start.await();
                    try {
                        store.recordPending(p);
                        return Optional.empty();
                    } catch (LedgerException e) {
                        return Optional.of(e);
                    }
                });
            }

            List<Optional<LedgerException>> outcomes = Concurrently.run(tasks, start);

            assertThat(outcomes).as("round %d: exactly one replica records the serial", round)
                    .filteredOn(Optional::isEmpty).hasSize(1);
            assertThat(outcomes).filteredOn(Optional::isPresent).singleElement()
                    .satisfies(e -> assertThat(e.orElseThrow()).hasMessageContaining(serial.hex()));
        }
        assertThat(stores.getFirst().entries()).hasSize(rounds);
    }

    @Test
    void issuanceOnOneReplicaAndAuditAppendsOnTheOtherShareOneChain() throws Exception {
        List<Database> replicas = twoReplicas();
        JdbcCertificateStore issuing = new JdbcCertificateStore(replicas.get(0));
        JdbcAuditLog otherLog = new JdbcAuditLog(replicas.get(1));
        TestCa ca = TestCa.builder(KeyAlgorithm.P256).name("Replica Test").build();
        int certificates = 60;
        List<X509Certificate> signed = new ArrayList<>();
        for (int i = 0; i < certificates; i++) {
            signed.add(ca.issueServer(Duration.ofHours(1), "replica-" + i + ".example.com").certificate());
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS_PER_REPLICA; t++) {
            int thread = t;
            tasks.add(() -> {
                start.await();
                int n = 0;
                for (int i = thread; i < certificates; i += THREADS_PER_REPLICA) {
                    X509Certificate cert = signed.get(i);
                    SerialNumber serial = new SerialNumber(cert.getSerialNumber());
                    issuing.recordPending(pending(serial, "replica-0"));
                    issuing.recordSigned(serial, cert);
                    n++;
                }
                return n;
            });
            tasks.add(() -> {
                start.await();
                for (int i = 0; i < certificates / THREADS_PER_REPLICA; i++) {
                    otherLog.append(AuditEvent.success("replica-1", "token.create", "tok-" + thread + "-" + i, Map.of()));
                }
                return 0;
            });
        }

        Concurrently.run(tasks, start);

        assertThat(otherLog.verify()).isEmpty();
        List<AuditEntry> log = otherLog.read(1, 10_000);
        assertThat(log).hasSize(certificates + THREADS_PER_REPLICA * (certificates / THREADS_PER_REPLICA));
        List<String> issued = log.stream().filter(e -> e.event().action().equals(JdbcCertificateStore.ISSUE_ACTION))
                .map(e -> e.event().target()).toList();
        assertThat(issued).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                signed.stream().map(c -> new SerialNumber(c.getSerialNumber()).hex()).toList());
        JdbcCertificateStore reading = new JdbcCertificateStore(replicas.get(1));
        for (X509Certificate cert : signed) {
            assertThat(reading.find(new SerialNumber(cert.getSerialNumber()))).hasValueSatisfying(
                    r -> assertThat(r.status()).isEqualTo(CertificateStatus.VALID));
        }
        assertThatThrownBy(() -> issuing.recordSigned(new SerialNumber(signed.getFirst().getSerialNumber()),
                signed.getFirst())).isInstanceOf(LedgerException.class).hasMessageContaining("already valid");
    }
    @Test
    void crlPublishersOnTwoReplicasNeverPublishOneNumberTwiceNorGoBackwards() throws Exception {
        List<Database> replicas = twoReplicas();
        int perThread = 12;
        List<JdbcCrlStore> stores = replicas.stream().map(db -> new JdbcCrlStore(db, 1000)).toList();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<PublishedCrl>>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS_PER_REPLICA * stores.size(); t++) {
            JdbcCrlStore store = stores.get(t % stores.size());
            String publisher = "replica-" + (t % stores.size()) + "/thread-" + t;
            tasks.add(() -> {
                start.await();
                List<PublishedCrl> won = new ArrayList<>();
                BigInteger seen = BigInteger.ZERO;
                for (int i = 0; i < perThread; i++) {
                    BigInteger next = store.latest("intermediate").map(PublishedCrl::number).orElse(BigInteger.ZERO)
                            .add(BigInteger.ONE);
                    // What a replica reads as latest never goes backwards.
                    assertThat(next).isGreaterThan(seen);
                    seen = next.subtract(BigInteger.ONE);
                    CrlPublication outcome = store.publish("intermediate", next, NOW, NOW.plus(Duration.ofDays(1)),
                            (publisher + " #" + next).getBytes(StandardCharsets.UTF_8));
                    switch (outcome) {
                        case CrlPublication.Published p -> won.add(p.crl());
                        case CrlPublication.Refused r -> assertThat(r.latest()).hasValueSatisfying(
                                l -> assertThat(l.number()).isGreaterThanOrEqualTo(next));
                    }
                }
                return won;
            });
        }

        List<PublishedCrl> won = Concurrently.run(tasks, start).stream().flatMap(List::stream).toList();

        assertThat(won).extracting(PublishedCrl::number).doesNotHaveDuplicates();
        List<BigInteger> expected = java.util.stream.LongStream.rangeClosed(1, won.size()).mapToObj(BigInteger::valueOf)
                .toList().reversed();
        for (JdbcCrlStore store : stores) {
            List<PublishedCrl> kept = store.recent("intermediate");
            assertThat(kept).extracting(PublishedCrl::number).containsExactlyElementsOf(expected);
            assertThat(kept).containsExactlyInAnyOrderElementsOf(won);
        }
    }

    @Test
    void oneBulkRevocationRunOnBothReplicasAtOnceRevokesAndAuditsEachCertificateOnce() throws Exception {
        List<Database> replicas = twoReplicas();
        KeyIdentifier issuer = KeyIdentifier.parse("aa02030405060708090a0b0c0d0e0f1011121314");
        List<SerialNumber> signed = SignedRows.insert(replicas.getFirst(), 3000, issuer, NOW);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<SerialNumber>>> tasks = new ArrayList<>();
        for (Database db : replicas) {
            JdbcCertificateStore store = new JdbcCertificateStore(db);
            tasks.add(() -> {
                start.await();
                return store.revokeAll(new RevocationSelector.ByIssuerKey(issuer), RevocationReason.CA_COMPROMISE,
                        NOW, serial -> AuditEvent.success("replica", "certificate.revoke", serial.hex(), Map.of()));
            });
        }

        List<List<SerialNumber>> results = Concurrently.run(tasks, start);

        List<SerialNumber> all = results.stream().flatMap(List::stream).toList();
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(signed);
        JdbcAuditLog log = new JdbcAuditLog(replicas.get(1));
        assertThat(log.size()).isEqualTo(signed.size());
        assertThat(log.verify()).isEmpty();
        assertThat(new JdbcCertificateStore(replicas.get(1)).revocationSequence(issuer)).isEqualTo(signed.size());
    }
}
