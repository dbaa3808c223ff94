package io.certwright.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;

/// An open Certwright database: connection pools, migrated schema, and the single group-commit writer
/// that every write of the stores in this package goes through.
///
/// **SQLite** (the default): WAL journal, `synchronous=FULL` (a commit is on disk when it returns),
/// a busy timeout, foreign keys on; exactly one writer connection, plus a small pool of readers that WAL
/// lets read while the writer writes. The writer never checkpoints the WAL into the database file itself
/// (that would stall the commit that happens to cross the threshold, and every write queued behind it);
/// a background thread runs passive checkpoints instead, which copy committed pages while writes go on.
///
/// **PostgreSQL**: one pool of up to `maxPoolSize` connections; the writer borrows one per group. Several
/// server replicas may share one database: write groups and audit appends are serialised across replicas
/// by advisory locks.
///
/// Writes are group-committed (see [GroupCommitWriter]): concurrent writes share one transaction and one
/// commit, and every caller returns only after that commit.
public final class Database implements AutoCloseable {

    /// A write run inside the writer's transaction, for tests that need to fail an audit append.
    @FunctionalInterface
    interface SqlHook {
        /// Called inside the write transaction.
        void run(Connection connection) throws SQLException;
    }

    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    /// How often the SQLite checkpointer looks for new commits to copy into the database file.
    private static final long CHECKPOINT_PERIOD_MS = 200;

    private final Clock clock;
    private final boolean postgres;
    private final HikariDataSource writePool;
    private final HikariDataSource readPool;
    private final GroupCommitWriter writer;
    // SQLite: prepared statements of each physical read connection, used by whoever borrowed it.
    private final Map<Connection, StatementCache> readStatements = new ConcurrentHashMap<>();
    private volatile @Nullable SqlHook beforeAuditAppend;
    private final @Nullable ScheduledExecutorService checkpointer;
    // Commits already checkpointed; touched only by the checkpointer thread.
    private long checkpointedCommits;
    private boolean closed;

    private Database(Clock clock, boolean postgres, HikariDataSource writePool, HikariDataSource readPool) {
        this.clock = clock;
        this.postgres = postgres;
        this.writePool = writePool;
        this.readPool = readPool;
        this.writer = new GroupCommitWriter(writePool, postgres, "certwright-store-writer");
        if (postgres) {
            this.checkpointer = null;
        } else {
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("certwright-store-checkpoint").daemon(true).factory());
            // The task catches everything itself; its future would only tell of cancellation at close.
            var unused = s.scheduleWithFixedDelay(this::checkpointIfWritten, CHECKPOINT_PERIOD_MS, CHECKPOINT_PERIOD_MS,
                    TimeUnit.MILLISECONDS);
            this.checkpointer = s;
        }
    }

    /// Copies what was committed since the last run from the WAL into the database file, without waiting
    /// for readers or the writer (a passive checkpoint; what it cannot copy now, a later run copies).
    private void checkpointIfWritten() {
        long commits = writer.commits();
        if (commits == checkpointedCommits) {
            return;
        }
        if (checkpoint("PASSIVE")) {
            checkpointedCommits = commits;
        }
    }

    private boolean checkpoint(String mode) {
        try (Connection c = readPool.getConnection();
                java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(" + mode + ")");
            return true;
        } catch (SQLException | RuntimeException e) {
            // Nothing is lost: the commits stay in the WAL and the next run copies them.
            return false;
        }
    }

    /// Opens the database, creating it (SQLite) or its tables when needed, and migrates the schema to the
    /// current version.
    ///
    /// @throws StoreException when it cannot connect or a migration fails
    public static Database open(StoreConfig config, Clock clock) throws StoreException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        boolean postgres = config.isPostgres();
        migrate(config, postgres);
        HikariDataSource writePool = null;
        HikariDataSource readPool = null;
        try {
            if (postgres) {
                writePool = pool(config, "certwright-pg", Math.max(2, config.maxPoolSize()), false);
                readPool = writePool;
            } else {
                writePool = pool(config, "certwright-sqlite-writer", 1, true);
                readPool = pool(config, "certwright-sqlite-reader", config.maxPoolSize(), false);
            }
            return new Database(clock, postgres, writePool, readPool);
        } catch (RuntimeException e) {
            if (readPool != null && readPool != writePool) {
                readPool.close();
            }
            if (writePool != null) {
                writePool.close();
            }
            throw new StoreException("cannot open the database " + config + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(StoreConfig config, boolean postgres) throws StoreException {
        migrate(config, postgres, MigrationVersion.LATEST);
    }

    /// Migrates the schema only up to `version`, as an older release left it: for tests of later migrations.
    static void migrateTo(StoreConfig config, String version) throws StoreException {
        migrate(config, config.isPostgres(), MigrationVersion.fromVersion(version));
    }

    private static void migrate(StoreConfig config, boolean postgres, MigrationVersion target) throws StoreException {
        try (HikariDataSource ds = pool(config, "certwright-migration", 2, true)) {
            Flyway.configure()
                    .dataSource(ds)
                    .target(target)
                    .locations("classpath:db/migration")
                    .placeholders(Map.of("id_column", postgres
                            ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                            : "INTEGER PRIMARY KEY AUTOINCREMENT",
                            "blob_column", postgres ? "BYTEA" : "BLOB"))
                    .javaMigrations(new BackfillIssuerKeyIds())
                    .load()
                    .migrate();
        } catch (FlywayException | IllegalArgumentException e) {
            throw new StoreException("cannot migrate the database " + config + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the database " + config + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(StoreConfig config, String name, int size, boolean writer) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        h.setJdbcUrl(config.jdbcUrl());
        config.username().ifPresent(h::setUsername);
        config.password().ifPresent(h::setPassword);
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(Math.min(1, size));
        h.setConnectionTimeout(30_000);
        if (config.isPostgres()) {
            h.setDriverClassName("org.postgresql.Driver");
        } else {
            h.setDriverClassName("org.sqlite.JDBC");
            h.addDataSourceProperty("journal_mode", "WAL");
            h.addDataSourceProperty("synchronous", "FULL");
            h.addDataSourceProperty("busy_timeout", Integer.toString(SQLITE_BUSY_TIMEOUT_MS));
            h.addDataSourceProperty("foreign_keys", "true");
            if (writer) {
                // Take the write lock when the transaction begins, never by upgrading a read.
                h.addDataSourceProperty("transaction_mode", "IMMEDIATE");
                // The background checkpointer copies the WAL into the database file, not the committing writer.
                h.setConnectionInitSql("PRAGMA wal_autocheckpoint=0");
            }
        }
        return new HikariDataSource(h);
    }

    /// A snapshot of one connection pool, for metrics.
    ///
    /// @param name the pool's name, e.g. `certwright-sqlite-writer`
    /// @param active connections in use
    /// @param idle connections open and free
    /// @param pending threads waiting for a connection
    /// @param max the most connections the pool opens
    public record PoolStats(String name, int active, int idle, int pending, int max) {
    }

    /// The current state of each connection pool: the writer and the readers for SQLite, the one shared
    /// pool for PostgreSQL. A closed pool reports zeros.
    public List<PoolStats> poolStats() {
        return readPool == writePool ? List.of(stats(writePool)) : List.of(stats(writePool), stats(readPool));
    }

    private static PoolStats stats(HikariDataSource pool) {
        HikariPoolMXBean bean = pool.isClosed() ? null : pool.getHikariPoolMXBean();
        if (bean == null) {
            return new PoolStats(String.valueOf(pool.getPoolName()), 0, 0, 0, pool.getMaximumPoolSize());
        }
        return new PoolStats(String.valueOf(pool.getPoolName()), bean.getActiveConnections(),
                bean.getIdleConnections(), bean.getThreadsAwaitingConnection(), pool.getMaximumPoolSize());
    }

    /// What the writer has committed since the database was opened.
    ///
    /// @param commits transactions committed (on SQLite, each one fsync of the write-ahead log)
    /// @param writes writes committed in them; `writes / commits` is how many writes a commit carries
    public record WriteStats(long commits, long writes) {
    }

    /// What the writer has committed so far.
    public WriteStats writeStats() {
        return new WriteStats(writer.commits(), writer.writes());
    }

    /// A periodic job's claim to run on this process alone, held until closed.
    public interface JobLock extends AutoCloseable {

        /// Whether the claim still stands: on PostgreSQL, whether the session holding it is still alive.
        boolean held();

        /// Gives the claim up; idempotent.
        @Override
        void close();
    }

    /// Claims periodic job `job` (scans, alert runs, CRL publishing) for this process unless another holds it.
    ///
    /// On PostgreSQL the claim is a session-level advisory lock, keyed by a hash of the job's name, on a
    /// connection of the pool kept for as long as the claim is held: of several replicas sharing the database,
    /// exactly one holds it, and when that replica dies its session ends and the lock with it, so another can
    /// take over on its next try. On SQLite only one process uses the database, so the claim is always granted.
    ///
    /// @return the held claim, or empty when another process holds it
    /// @throws StoreException when the database cannot be asked
    public Optional<JobLock> tryJobLock(String job) throws StoreException {
        Objects.requireNonNull(job, "job");
        if (!postgres) {
            return Optional.of(new SqliteJobLock());
        }
        long key = jobLockKey(job);
        Connection c = null;
        try {
            c = writePool.getConnection();
            boolean locked;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    locked = rs.next() && rs.getBoolean(1);
                }
            }
            if (!locked) {
                c.close();
                return Optional.empty();
            }
            return Optional.of(new PostgresJobLock(c, key));
        } catch (SQLException e) {
            if (c != null) {
                abortQuietly(c);
            }
            throw new StoreException("cannot claim job " + job + ": " + e.getMessage(), e);
        }
    }

    /// The advisory lock key of a job: the first 8 bytes of SHA-256 over `certwright-job:<name>`.
    static long jobLockKey(String job) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("certwright-job:" + job).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(d).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void abortQuietly(Connection c) {
        try {
            // Closes the physical connection, so no session lock can survive in the pool.
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // The connection is gone either way.
        }
    }

    private static final class SqliteJobLock implements JobLock {
        private volatile boolean open = true;

        @Override
        public boolean held() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private static final class PostgresJobLock implements JobLock {
        private final Connection connection;
        private final long key;
        private boolean open = true;

        PostgresJobLock(Connection connection, long key) {
            this.connection = connection;
            this.key = key;
        }

        @Override
        public synchronized boolean held() {
            if (!open) {
                return false;
            }
            try (java.sql.Statement s = connection.createStatement()) {
                s.execute("SELECT 1");
                return true;
            } catch (SQLException e) {
                open = false;
                abortQuietly(connection);
                return false;
            }
        }

        @Override
        public synchronized void close() {
            if (!open) {
                return;
            }
            open = false;
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                ps.execute();
                connection.close();
            } catch (SQLException e) {
                abortQuietly(connection);
            }
        }
    }

    /// Whether this is a PostgreSQL database (else SQLite).
    public boolean isPostgres() {
        return postgres;
    }

    /// The clock stamping records and audit entries.
    public Clock clock() {
        return clock;
    }

    /// Runs `task` through the group-commit writer and returns once it is committed.
    <T> @Nullable T write(GroupCommitWriter.WriteTask<T> task) throws SQLException {
        return writer.submit(task);
    }

    /// The writer's cached prepared statement for `sql`, for a write task running on `c`; the caller sets
    /// every parameter, closes its result sets and leaves the statement open.
    PreparedStatement statement(Connection c, String sql) throws SQLException {
        return writer.statement(c, sql);
    }

    /// The writer, for the audit log to keep the chain's head within a write group.
    GroupCommitWriter writer() {
        return writer;
    }

    /// A prepared statement for `sql` on the read connection `c` (from [#read]); the caller sets every
    /// parameter, closes its result sets and leaves the statement open. On SQLite it is cached on the
    /// physical connection and reused by later reads that borrow it; on PostgreSQL (whose driver caches
    /// server-side statements itself) it is prepared afresh and closed when `c` goes back to the pool.
    PreparedStatement readStatement(Connection c, String sql) throws SQLException {
        if (postgres) {
            return c.prepareStatement(sql);
        }
        Connection physical = c.unwrap(Connection.class);
        StatementCache cache = readStatements.get(physical);
        if (cache == null) {
            if (readStatements.size() >= 2 * readPool.getMaximumPoolSize()) {
                // Drop the caches of connections the pool has retired meanwhile.
                readStatements.entrySet().removeIf(e -> isClosed(e.getKey()) && closeCache(e.getValue()));
            }
            cache = new StatementCache(physical);
            readStatements.put(physical, cache);
        }
        return cache.get(sql);
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static boolean closeCache(StatementCache cache) {
        cache.close();
        return true;
    }

    /// A connection for reading (auto-commit); the caller closes it.
    Connection read() throws SQLException {
        return readPool.getConnection();
    }

    /// Write groups committed since opening.
    long commits() {
        return writer.commits();
    }

    void beforeAuditAppend(@Nullable SqlHook hook) {
        this.beforeAuditAppend = hook;
    }

    void runBeforeAuditAppend(Connection c) throws SQLException {
        SqlHook hook = beforeAuditAppend;
        if (hook != null) {
            hook.run(c);
        }
    }

    /// Finishes the writes already submitted, then closes the pools. Later writes fail.
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.close();
        ScheduledExecutorService s = checkpointer;
        if (s != null) {
            s.shutdown();
            awaitQuietly(s);
            // Leave a compact database file behind: everything copied from the WAL, the WAL emptied.
            checkpoint("TRUNCATE");
        }
        readStatements.values().forEach(StatementCache::close);
        readStatements.clear();
        if (readPool != writePool) {
            readPool.close();
        }
        writePool.close();
    }

    private static void awaitQuietly(ScheduledExecutorService s) {
        boolean interrupted = false;
        while (true) {
            try {
                if (s.awaitTermination(10, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
