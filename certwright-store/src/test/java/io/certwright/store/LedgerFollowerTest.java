package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.SerialNumber;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/// What followers of the ledger read (rows in recording order, revocations in time order), and job locks:
/// on PostgreSQL one holder per job across replicas, released when the holder lets go; on SQLite always
/// granted.
class LedgerFollowerTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final TestDatabases sqlite = new TestDatabases(TestDatabases.Engine.SQLITE);
    private final TestDatabases postgres = new TestDatabases(TestDatabases.Engine.POSTGRES);

    @AfterEach
    void close() {
        sqlite.close();
        postgres.close();
    }

    private TestDatabases on(TestDatabases.Engine engine) {
        return engine == TestDatabases.Engine.SQLITE ? sqlite : postgres;
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Engine.class)
    void rowsComeInRecordingOrderPageByPageAndRevocationsInTimeOrder(TestDatabases.Engine engine) throws Exception {
        Database db = on(engine).open();
        JdbcCertificateStore store = new JdbcCertificateStore(db);
        List<SerialNumber> serials = SignedRows.insert(db, 5, new KeyIdentifier("0a0b"), NOW);

        List<JdbcCertificateStore.LedgerRow> first = store.rowsAfter(0, 3);
        List<JdbcCertificateStore.LedgerRow> rest = store.rowsAfter(first.getLast().id(), 3);
        assertThat(first).hasSize(3);
        assertThat(rest).hasSize(2);
        assertThat(java.util.stream.Stream.concat(first.stream(), rest.stream()).map(JdbcCertificateStore.LedgerRow::serial))
                .containsExactlyElementsOf(serials);
        assertThat(first).allSatisfy(r -> assertThat(r.status()).isEqualTo(CertificateStatus.VALID));
        assertThat(store.rowsAfter(rest.getLast().id(), 3)).isEmpty();

        store.revoke(serials.get(3), RevocationReason.KEY_COMPROMISE, NOW.plusSeconds(20),
                AuditEvent.success("test", "certificate.revoke", "x", Map.of()));
        store.revoke(serials.get(1), RevocationReason.KEY_COMPROMISE, NOW.plusSeconds(10),
                AuditEvent.success("test", "certificate.revoke", "x", Map.of()));
        List<JdbcCertificateStore.LedgerRow> revoked = store.revokedSince(Instant.EPOCH, 0, 10);
        assertThat(revoked).extracting(JdbcCertificateStore.LedgerRow::serial)
                .containsExactly(serials.get(1), serials.get(3));
        assertThat(revoked.getFirst().revokedAt()).hasValue(NOW.plusSeconds(10));
        JdbcCertificateStore.LedgerRow last = revoked.getFirst();
        assertThat(store.revokedSince(last.revokedAt().orElseThrow(), last.id(), 10))
                .extracting(JdbcCertificateStore.LedgerRow::serial).containsExactly(serials.get(3));
    }

    @Test
    void onSqliteAJobLockIsAlwaysGrantedAndHeldUntilClosed() throws Exception {
        Database db = sqlite.open();
        Optional<Database.JobLock> a = db.tryJobLock("inventory-scan");
        assertThat(a).isPresent();
        assertThat(a.get().held()).isTrue();
        a.get().close();
        assertThat(a.get().held()).isFalse();
    }

    @Test
    void onPostgresOneReplicaHoldsAJobAndAnotherTakesOverOnlyOnceItLetsGo() throws Exception {
        StoreConfig config = postgres.config();
        Database one = postgres.reopen(config);
        Database two = postgres.reopen(config);
        Optional<Database.JobLock> held = one.tryJobLock("inventory-scan");
        assertThat(held).isPresent();
        assertThat(held.get().held()).isTrue();
        assertThat(two.tryJobLock("inventory-scan")).isEmpty();
        Optional<Database.JobLock> otherJob = two.tryJobLock("inventory-alerts");
        assertThat(otherJob).isPresent();
        assertThat(one.tryJobLock("inventory-alerts")).isEmpty();

        held.get().close();
        assertThat(held.get().held()).isFalse();
        Optional<Database.JobLock> taken = two.tryJobLock("inventory-scan");
        assertThat(taken).isPresent();
        taken.get().close();
        otherJob.get().close();
        // Released locks leave no session lock behind in either pool.
        assertThat(one.tryJobLock("inventory-alerts")).hasValueSatisfying(Database.JobLock::close);
    }
}
