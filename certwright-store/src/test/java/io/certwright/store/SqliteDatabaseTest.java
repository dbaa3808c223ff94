package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.access.ApiToken;
import io.certwright.ca.access.Role;
import io.certwright.ca.access.Secret;
import io.certwright.ca.audit.AuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SqliteDatabaseTest {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void writerAndReadersUseWalWithFullSync() throws Exception {
        Database db = dbs.open();

        assertThat(db.isPostgres()).isFalse();
        String journal = db.write(c -> query(c, "PRAGMA journal_mode"));
        String synchronous = db.write(c -> query(c, "PRAGMA synchronous"));
        String foreignKeys = db.write(c -> query(c, "PRAGMA foreign_keys"));
        String busyTimeout = db.write(c -> query(c, "PRAGMA busy_timeout"));
        assertThat(journal).isEqualToIgnoringCase("wal");
        assertThat(synchronous).isEqualTo("2");
        assertThat(foreignKeys).isEqualTo("1");
        assertThat(busyTimeout).isNotNull();
        assertThat(Integer.parseInt(java.util.Objects.requireNonNull(busyTimeout))).isPositive();
        try (Connection c = db.read()) {
            assertThat(query(c, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(query(c, "PRAGMA synchronous")).isEqualTo("2");
        }
    }

    @Test
    void theWriterLeavesCheckpointingToTheBackgroundThread() throws Exception {
        Database db = dbs.open();

        String autoCheckpoint = db.write(c -> query(c, "PRAGMA wal_autocheckpoint"));
        assertThat(autoCheckpoint).isEqualTo("0");
    }

    @Test
    void commitsReachTheDatabaseFileWithoutWaitingForTheWalThreshold() throws Exception {
        StoreConfig config = dbs.config();
        java.nio.file.Path file = java.nio.file.Path.of(config.jdbcUrl().substring("jdbc:sqlite:".length()));
        Database db = dbs.reopen(config);
        JdbcAuditLog audit = new JdbcAuditLog(db);
        long before = java.nio.file.Files.size(file);

        // A few dozen pages: far below the 1,000 pages at which a committing writer would checkpoint.
        for (int i = 0; i < 200; i++) {
            audit.append(AuditEvent.success("cli", "token.create", "t" + i, Map.of("n", Integer.toString(i))));
        }

        // Only a checkpoint writes pages into the database file; the background checkpointer runs every
        // fraction of a second. The deadline is only there so that a broken checkpointer fails the test.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (java.nio.file.Files.size(file) <= before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(java.nio.file.Files.size(file)).isGreaterThan(before);
        assertThat(audit.verify()).isEmpty();
    }

    @Test
    void anIdleWriterHoldsNoWriteLock() throws Exception {
        StoreConfig config = dbs.config();
        Database db = dbs.reopen(config);
        JdbcAuditLog audit = new JdbcAuditLog(db);
        audit.append(AuditEvent.success("cli", "token.create", "t", Map.of()));

        // Another process, e.g. an administrator's command on the same file, can write while the store is idle.
        try (Database other = Database.open(config, java.time.Clock.systemUTC())) {
            JdbcAuditLog otherLog = new JdbcAuditLog(other);
            other.write(c -> query(c, "PRAGMA busy_timeout = 200"));
            assertThat(otherLog.append(AuditEvent.success("cli", "token.revoke", "t", Map.of())).sequence())
                    .isEqualTo(2);
        }
        assertThat(audit.append(AuditEvent.success("cli", "token.create", "u", Map.of())).sequence()).isEqualTo(3);
        assertThat(audit.verify()).isEmpty();
    }

    @Test
    void reopeningKeepsEverythingAndDoesNotMigrateAgain() throws Exception {
        StoreConfig config = dbs.config();
        Secret secret = Secret.generate("cwt_");
        ApiToken token = new ApiToken("t", "ci", Role.AUDITOR, secret.hash(), Instant.parse("2030-01-01T00:00:00Z"),
                Optional.empty(), false);
        String migrations;
        try (Database db = Database.open(config, java.time.Clock.systemUTC())) {
            new JdbcAccessStore(db).createToken(token);
            new JdbcAuditLog(db).append(AuditEvent.success("cli", "token.create", "t", Map.of()));
            try (Connection c = db.read()) {
                migrations = query(c, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1");
            }
        }

        Database reopened = dbs.reopen(config);

        assertThat(new JdbcAccessStore(reopened).findToken(secret.hash())).contains(token);
        JdbcAuditLog audit = new JdbcAuditLog(reopened);
        assertThat(audit.size()).isEqualTo(1);
        assertThat(audit.append(AuditEvent.success("cli", "token.revoke", "t", Map.of())).sequence()).isEqualTo(2);
        assertThat(audit.verify()).isEmpty();
        try (Connection c = reopened.read()) {
            assertThat(query(c, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1"))
                    .isEqualTo(migrations);
            assertThat(query(c, "SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1"))
                    .isEqualTo("8");
        }
    }

    @Test
    void aBadUrlFailsToOpen() {
        StoreConfig config = StoreConfig.sqlite(java.nio.file.Path.of("/proc/no-such-dir/certwright.db"));

        assertThatThrownBy(() -> Database.open(config, java.time.Clock.systemUTC()))
                .isInstanceOf(StoreException.class);
    }
}
