package io.certwright.store;

import static io.certwright.testing.InventoryEntries.BASE;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.Place;
import io.certwright.inventory.alert.AlertClaim;
import io.certwright.inventory.alert.AlertKind;
import io.certwright.testing.Concurrently;
import io.certwright.testing.InventoryEntries;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Two server replicas on one PostgreSQL database, each with its own [Database] (pool and group-commit
/// writer): inventory writes and alert claims from both never both win, and no update is lost. The last
/// tests run the stores' conditional statements on two bare connections, without the writer's advisory lock,
/// to show that the database itself, not the lock, decides each race.
class PostgresInventoryReplicasTest {

    private static final int THREADS_PER_REPLICA = 6;

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.POSTGRES);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    private List<Database> twoReplicas(StoreConfig config) throws Exception {
        return List.of(dbs.reopen(config), dbs.reopen(config));
    }

    @Test
    void oneCertificateDiscoveredOnBothReplicasAtOnceIsInsertedExactlyOnce() throws Exception {
        List<JdbcInventoryStore> stores = twoReplicas(dbs.config()).stream().map(JdbcInventoryStore::new).toList();
        int rounds = 30;
        for (int round = 0; round < rounds; round++) {
            InventoryEntry entry = InventoryEntries.plain("both-" + round, BASE);
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS_PER_REPLICA * stores.size(); t++) {
                JdbcInventoryStore store = stores.get(t % stores.size());
                tasks.add(() -> {
                    start.await();
                    return store.insert(entry);
                });
            }

            List<Boolean> outcomes = Concurrently.run(tasks, start);

            assertThat(outcomes).as("round %d", round).filteredOn(Boolean::booleanValue).hasSize(1);
        }
        assertThat(stores).allSatisfy(s -> assertThat(s.count()).isEqualTo(rounds));
    }

    @Test
    void sightingsRecordedOnBothReplicasAtOnceAreAllKept() throws Exception {
        List<JdbcInventoryStore> stores = twoReplicas(dbs.config()).stream().map(JdbcInventoryStore::new).toList();
        InventoryEntry v1 = InventoryEntries.plain("shared", BASE);
        stores.getFirst().insert(v1);
        int each = 5;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS_PER_REPLICA * stores.size(); t++) {
            JdbcInventoryStore store = stores.get(t % stores.size());
            String writer = "replica-" + (t % stores.size()) + "/thread-" + t;
            tasks.add(() -> {
                start.await();
                int retries = 0;
                for (int i = 0; i < each; i++) {
                    while (!store.replace(InventoryEntries.seenAt(store.find(v1.fingerprint()).orElseThrow(),
                            "/" + writer + "/" + i, BASE.plusSeconds(i)))) {
                        retries++;
                    }
                }
                return retries;
            });
        }

        Concurrently.run(tasks, start);

        int writes = THREADS_PER_REPLICA * stores.size() * each;
        for (JdbcInventoryStore store : stores) {
            InventoryEntry last = store.find(v1.fingerprint()).orElseThrow();
            assertThat(last.version()).isEqualTo(1L + writes);
            assertThat(last.sightings()).hasSize(writes)
                    .extracting(s -> ((Place.File) s.place()).path()).doesNotHaveDuplicates();
        }
    }

    @Test
    void oneAlertClaimedOnBothReplicasAtOnceIsWonByExactlyOne() throws Exception {
        List<JdbcAlertStateStore> stores = twoReplicas(dbs.config()).stream().map(JdbcAlertStateStore::new).toList();
        int rounds = 30;
        for (int round = 0; round < rounds; round++) {
            AlertClaim claim = new AlertClaim("expiring|" + "ab".repeat(32) + "|604800|ops-" + round, "ab".repeat(32),
                    AlertKind.EXPIRING, "ops-" + round, BASE);
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS_PER_REPLICA * stores.size(); t++) {
                JdbcAlertStateStore store = stores.get(t % stores.size());
                tasks.add(() -> {
                    start.await();
                    return store.tryClaim(claim);
                });
            }

            assertThat(Concurrently.run(tasks, start)).as("round %d", round).filteredOn(Boolean::booleanValue)
                    .hasSize(1);
        }
        assertThat(stores.getLast().openClaims()).hasSize(rounds);
    }

    /// Runs `second` on its own thread while `first`'s transaction, which already wrote, is still open;
    /// commits `first` (which releases the row `second` waits for) and returns what `second` returned.
    private static <T> T afterCommitOf(Connection first, Callable<T> second) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<T> result = pool.submit(second);
            first.commit();
            return result.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Connection bare(StoreConfig config) throws Exception {
        Connection c = DriverManager.getConnection(config.jdbcUrl(), config.username().orElse(null),
                config.password().orElse(null));
        c.setAutoCommit(false);
        return c;
    }

    @Test
    void withoutTheWriteLockTheDatabaseStillLetsOnlyOneOfTwoInsertsOfAFingerprintWin() throws Exception {
        StoreConfig config = dbs.config();
        JdbcInventoryStore store = new JdbcInventoryStore(dbs.reopen(config));
        InventoryEntry mine = InventoryEntries.seenAt(InventoryEntries.plain("race", BASE), "/mine", BASE);
        InventoryEntry theirs = InventoryEntries.seenAt(InventoryEntries.plain("race", BASE), "/theirs", BASE);
        InventoryEntry mineV1 = version1(mine);
        InventoryEntry theirsV1 = version1(theirs);
        try (Connection a = bare(config); Connection b = bare(config);
                PreparedStatement insertA = a.prepareStatement(JdbcInventoryStore.INSERT_SQL);
                PreparedStatement insertB = b.prepareStatement(JdbcInventoryStore.INSERT_SQL)) {
            assertThat(new JdbcInventoryStore.Row(mineV1).insert(insertA)).isTrue();

            boolean theirsWon = afterCommitOf(a, () -> {
                boolean won = new JdbcInventoryStore.Row(theirsV1).insert(insertB);
                b.commit();
                return won;
            });

            assertThat(theirsWon).isFalse();
        }
        assertThat(store.find(mine.fingerprint())).contains(mineV1);
    }

    @Test
    void withoutTheWriteLockTheDatabaseStillLetsOnlyOneOfTwoReplacesOfAVersionWin() throws Exception {
        StoreConfig config = dbs.config();
        JdbcInventoryStore store = new JdbcInventoryStore(dbs.reopen(config));
        InventoryEntry v1 = InventoryEntries.plain("race", BASE);
        store.insert(v1);
        InventoryEntry mine = InventoryEntries.ownedBy(v1, "payments");
        InventoryEntry theirs = InventoryEntries.ownedBy(v1, "identity");
        try (Connection a = bare(config); Connection b = bare(config);
                PreparedStatement replaceA = a.prepareStatement(JdbcInventoryStore.REPLACE_SQL);
                PreparedStatement replaceB = b.prepareStatement(JdbcInventoryStore.REPLACE_SQL)) {
            assertThat(new JdbcInventoryStore.Row(mine).replace(replaceA)).isTrue();

            boolean theirsWon = afterCommitOf(a, () -> {
                boolean won = new JdbcInventoryStore.Row(theirs).replace(replaceB);
                b.commit();
                return won;
            });

            assertThat(theirsWon).isFalse();
        }
        assertThat(store.find(v1.fingerprint())).contains(mine);
    }

    @Test
    void withoutTheWriteLockTheDatabaseStillLetsOnlyOneOfTwoClaimsOfAKeyWin() throws Exception {
        StoreConfig config = dbs.config();
        JdbcAlertStateStore store = new JdbcAlertStateStore(dbs.reopen(config));
        Instant now = BASE.plus(Duration.ofDays(1));
        AlertClaim mine = new AlertClaim("expired|" + "cd".repeat(32) + "|ops", "cd".repeat(32), AlertKind.EXPIRED,
                "ops", now);
        AlertClaim theirs = new AlertClaim(mine.key(), mine.subject(), mine.kind(), mine.channel(), now.plusSeconds(1));
        try (Connection a = bare(config); Connection b = bare(config);
                PreparedStatement claimA = a.prepareStatement(JdbcAlertStateStore.CLAIM_SQL);
                PreparedStatement claimB = b.prepareStatement(JdbcAlertStateStore.CLAIM_SQL)) {
            assertThat(new JdbcAlertStateStore.Row(mine).claim(claimA)).isTrue();

            boolean theirsWon = afterCommitOf(a, () -> {
                boolean won = new JdbcAlertStateStore.Row(theirs).claim(claimB);
                b.commit();
                return won;
            });

            assertThat(theirsWon).isFalse();
        }
        assertThat(store.openClaims()).containsExactly(mine);
    }

    private static InventoryEntry version1(InventoryEntry e) {
        return new InventoryEntry(e.facts(), e.certificate(), e.chain(), e.issuedByUs(), e.revokedAt(), e.sightings(),
                e.ownership(), e.firstSeen(), e.lastSeen(), 1);
    }
}
