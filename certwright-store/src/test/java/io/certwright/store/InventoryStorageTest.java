package io.certwright.store;

import static io.certwright.testing.InventoryEntries.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.alert.AlertKind;
import io.certwright.inventory.alert.DeliveryOutcome;
import io.certwright.inventory.alert.DeliveryRecord;
import io.certwright.testing.InventoryEntries;
import io.certwright.testing.MutableClock;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Inventory and alerting storage on one engine beyond the port contracts: tens of thousands of entries
/// streamed in order, damaged rows reported rather than returned, and the delivery log's retention.
abstract class InventoryStorageTest {

    private static final int MANY = 20_000;

    private final TestDatabases dbs = new TestDatabases(engine());

    abstract TestDatabases.Engine engine();

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    /// Inserts `count` entries in one transaction, the one of index `i` expiring `(i * 7919) % count` hours
    /// after [InventoryEntries#BASE], so that insertion order is not expiry order.
    private static void insertMany(Database db, int count) throws Exception {
        db.write(c -> {
            PreparedStatement ps = db.statement(c, JdbcInventoryStore.INSERT_SQL);
            for (int i = 0; i < count; i++) {
                long hours = (i * 7919L) % count;
                new JdbcInventoryStore.Row(InventoryEntries.plain("m" + i, BASE.plus(Duration.ofHours(hours))))
                        .insert(ps);
            }
            return null;
        });
    }

    @Test
    void twentyThousandEntriesStreamOnceEachAndInExpiryOrder() throws Exception {
        Database db = dbs.open();
        JdbcInventoryStore store = new JdbcInventoryStore(db);
        insertMany(db, MANY);

        Set<Fingerprint> seen = new HashSet<>();
        store.forEach(e -> assertThat(seen.add(e.fingerprint())).isTrue());
        AtomicReference<Instant> previous = new AtomicReference<>(Instant.MIN);
        AtomicLong expiring = new AtomicLong();
        Instant bound = BASE.plus(Duration.ofHours(MANY / 2));
        store.forEachExpiringBefore(bound, e -> {
            assertThat(e.facts().notAfter()).isAfterOrEqualTo(previous.get()).isBefore(bound);
            previous.set(e.facts().notAfter());
            expiring.incrementAndGet();
        });

        assertThat(store.count()).isEqualTo(MANY);
        assertThat(seen).hasSize(MANY);
        assertThat(expiring).hasValue(MANY / 2);
    }

    @Test
    void aDamagedRowIsReportedWithItsFingerprintAndTheOthersStayReadable() throws Exception {
        Database db = dbs.open();
        JdbcInventoryStore store = new JdbcInventoryStore(db);
        InventoryEntry damaged = InventoryEntries.rich("damaged");
        InventoryEntry intact = InventoryEntries.rich("intact");
        store.insert(damaged);
        store.insert(intact);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE inventory_certificates SET details = ? WHERE fingerprint = ?")) {
                ps.setString(1, "{\"subject\": ");
                ps.setString(2, damaged.fingerprint().hex());
                return ps.executeUpdate();
            }
        });

        assertThatThrownBy(() -> store.find(damaged.fingerprint())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> store.forEach(e -> { })).isInstanceOf(IllegalStateException.class);
        assertThat(store.find(intact.fingerprint())).contains(intact);
    }

    @Test
    void aRowWhoseCertificateNoLongerMatchesItsFingerprintIsReportedNotReturned() throws Exception {
        Database db = dbs.open();
        JdbcInventoryStore store = new JdbcInventoryStore(db);
        InventoryEntry entry = InventoryEntries.rich("swapped");
        store.insert(entry);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE inventory_certificates SET der = ? WHERE fingerprint = ?")) {
                ps.setBytes(1, InventoryEntries.certificate("another").der());
                ps.setString(2, entry.fingerprint().hex());
                return ps.executeUpdate();
            }
        });

        assertThatThrownBy(() -> store.find(entry.fingerprint())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(entry.fingerprint().hex());
    }

    @Test
    void deliveryRecordsOlderThanTheRetentionAreDroppedByTheNextAppend() throws Exception {
        MutableClock clock = MutableClock.at(BASE);
        JdbcDeliveryLog log = new JdbcDeliveryLog(dbs.open(clock), Duration.ofDays(30));
        DeliveryRecord old = record("old", BASE.minus(Duration.ofDays(31)));
        DeliveryRecord recent = record("recent", BASE.minus(Duration.ofDays(29)));
        log.append(old);
        log.append(recent);
        assertThat(log.recent(10)).containsExactly(recent);

        clock.advance(Duration.ofDays(2));
        DeliveryRecord now = record("now", clock.instant());
        log.append(now);

        assertThat(log.recent(10)).containsExactly(now);
    }

    @Test
    void aDeliveryLogRefusesARetentionThatIsNotPositive() throws Exception {
        Database db = dbs.open();

        assertThatThrownBy(() -> new JdbcDeliveryLog(db, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JdbcDeliveryLog(db, Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static DeliveryRecord record(String id, Instant at) {
        return new DeliveryRecord(at, id, AlertKind.EXPIRED, "slack", "ops-slack", "hooks.slack.com:443",
                DeliveryOutcome.DELIVERED, 1, Optional.empty());
    }
}
