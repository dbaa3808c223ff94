package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.LedgerException;
import io.certwright.ca.PendingCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import io.certwright.testing.Concurrently;
import io.certwright.testing.TestCa;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Transactions of the store on one engine: a certificate and its audit entry commit together or not at
/// all, and concurrent writes are group-committed without one failure losing the others' work.
abstract class TransactionsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final TestDatabases dbs = new TestDatabases(engine());

    abstract TestDatabases.Engine engine();

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    private static final class Ca {
        static final TestCa CA = create();

        private static TestCa create() {
            try {
                return TestCa.builder(KeyAlgorithm.P256).name("Store Test").build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static PendingCertificate pending(SerialNumber serial, Requester requester) {
        byte[] h = new byte[32];
        RANDOM.nextBytes(h);
        return new PendingCertificate(serial, Profile.SERVER, "CN=store", List.of("store.example.com"),
                new Validity(NOW, NOW.plus(Duration.ofDays(1))), HexFormat.of().formatHex(h), NOW, requester);
    }

    @Test
    void signedCertificateAndItsAuditEntryAreVisibleTogether() throws Exception {
        Database db = dbs.open();
        JdbcCertificateStore store = new JdbcCertificateStore(db);
        JdbcAuditLog audit = new JdbcAuditLog(db);
        X509Certificate cert = Ca.CA.issueServer(Duration.ofHours(1), "store.example.com").certificate();
        SerialNumber serial = new SerialNumber(cert.getSerialNumber());
        Requester requester = new Requester("token:ops", "admin-api");
        store.recordPending(pending(serial, requester));

        store.recordSigned(serial, cert);

        assertThat(store.find(serial)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(CertificateStatus.VALID));
        List<AuditEntry> entries = audit.read(1, 10);
        assertThat(entries).hasSize(1);
        AuditEntry e = entries.getFirst();
        assertThat(e.event().actor()).isEqualTo("token:ops");
        assertThat(e.event().action()).isEqualTo(JdbcCertificateStore.ISSUE_ACTION);
        assertThat(e.event().target()).isEqualTo(serial.hex());
        assertThat(e.event().details()).containsEntry("profile", "server").containsEntry("provisioner", "admin-api")
                .containsEntry("names", "store.example.com")
                .containsEntry("not_after", NOW.plus(Duration.ofDays(1)).toString());
        assertThat(audit.verify()).isEmpty();
        assertThat(audit.size()).isEqualTo(1);
    }

    @Test
    void whenTheAuditAppendFailsTheCertificateStaysPending() throws Exception {
        Database db = dbs.open();
        JdbcCertificateStore store = new JdbcCertificateStore(db);
        JdbcAuditLog audit = new JdbcAuditLog(db);
        X509Certificate cert = Ca.CA.issueServer(Duration.ofHours(1), "store.example.com").certificate();
        SerialNumber serial = new SerialNumber(cert.getSerialNumber());
        store.recordPending(pending(serial, Requester.LOCAL));
        db.beforeAuditAppend(c -> {
            throw new SQLException("injected audit failure");
        });

        assertThatThrownBy(() -> store.recordSigned(serial, cert)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("injected audit failure");

        CertificateRecord r = store.find(serial).orElseThrow();
        assertThat(r.status()).isEqualTo(CertificateStatus.PENDING);
        assertThat(r.pem()).isEmpty();
        assertThat(r.sha256()).isEmpty();
        assertThat(r.issuer()).isEmpty();
        assertThat(audit.size()).isZero();

        db.beforeAuditAppend(null);
        store.recordSigned(serial, cert);
        assertThat(store.find(serial).orElseThrow().status()).isEqualTo(CertificateStatus.VALID);
        assertThat(audit.size()).isEqualTo(1);
    }

    @Test
    void concurrentWritesShareCommits() throws Exception {
        Database db = dbs.open();
        JdbcCertificateStore store = new JdbcCertificateStore(db);
        int threads = 16;
        int perThread = 20;
        long commitsBefore = db.commits();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    store.recordPending(pending(SerialNumber.random(RANDOM), Requester.LOCAL));
                }
                return null;
            });
        }

        Concurrently.run(tasks, start);

        assertThat(store.entries()).hasSize(threads * perThread);
        assertThat(db.commits() - commitsBefore).isPositive().isLessThan((long) threads * perThread);
    }

    @Test
    void auditAppendsUndoneInAGroupLeaveAGaplessChain() throws Exception {
        Database db = dbs.open();
        JdbcAuditLog audit = new JdbcAuditLog(db);
        int threads = 16;
        int perThread = 10;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean failing = t % 2 == 1;
            String actor = "worker-" + t;
            tasks.add(() -> {
                start.await();
                int appended = 0;
                for (int i = 0; i < perThread; i++) {
                    AuditEvent event = AuditEvent.success(actor, "test.append", actor + "/" + i, Map.of());
                    if (failing) {
                        // appends, then fails: the entry is rolled back and the next append must not chain onto it
                        assertThatThrownBy(() -> db.write(c -> {
                            JdbcAuditLog.append(db, c, event);
                            throw new SQLException("task fails on purpose");
                        })).isInstanceOf(SQLException.class).hasMessageContaining("on purpose");
                    } else {
                        audit.append(event);
                        appended++;
                    }
                }
                return appended;
            });
        }

        int appended = Concurrently.run(tasks, start).stream().mapToInt(Integer::intValue).sum();

        assertThat(audit.size()).isEqualTo(appended);
        assertThat(audit.verify()).isEmpty();
        List<AuditEntry> entries = audit.read(1, appended + 1);
        assertThat(entries).extracting(AuditEntry::sequence).containsExactlyElementsOf(
                LongStream.rangeClosed(1, appended).boxed().toList());
    }

    @Test
    void aFailingWriteInAGroupLosesOnlyItsOwnWork() throws Exception {
        Database db = dbs.open();
        JdbcCertificateStore store = new JdbcCertificateStore(db);
        int threads = 16;
        int perThread = 10;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<SerialNumber>>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean failing = t % 2 == 1;
            tasks.add(() -> {
                start.await();
                List<SerialNumber> kept = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    SerialNumber serial = SerialNumber.random(RANDOM);
                    if (failing) {
                        // inserts a row, then fails: the row must be rolled back with the task
                        assertThatThrownBy(() -> db.write(c -> {
                            try (PreparedStatement ps = c.prepareStatement(
                                    "INSERT INTO provisioners (name, kind, definition, updated_at) VALUES (?, 'renew', '{}', 0)")) {
                                ps.setString(1, serial.hex());
                                ps.executeUpdate();
                            }
                            throw new SQLException("task fails on purpose");
                        })).isInstanceOf(SQLException.class).hasMessageContaining("on purpose");
                    } else {
                        store.recordPending(pending(serial, Requester.LOCAL));
                        kept.add(serial);
                    }
                }
                return kept;
            });
        }

        List<List<SerialNumber>> kept = Concurrently.run(tasks, start);

        List<SerialNumber> expected = kept.stream().flatMap(List::stream).toList();
        assertThat(store.entries()).extracting(e -> e.pending().serial()).containsExactlyInAnyOrderElementsOf(expected);
        try (var c = db.read(); var ps = c.prepareStatement("SELECT COUNT(*) FROM provisioners");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void closeFinishesSubmittedWritesAndRefusesLaterOnes() throws Exception {
        Database db = dbs.open();
        JdbcCertificateStore store = new JdbcCertificateStore(db);
        PendingCertificate p = pending(SerialNumber.random(RANDOM), Requester.LOCAL);
        store.recordPending(p);

        db.close();

        assertThatThrownBy(() -> store.recordPending(pending(SerialNumber.random(RANDOM), Requester.LOCAL)))
                .isInstanceOf(LedgerException.class).hasMessageContaining("closed");
    }
}
