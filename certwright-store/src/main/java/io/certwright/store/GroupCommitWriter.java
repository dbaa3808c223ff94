package io.certwright.store;

import io.certwright.ca.audit.AuditEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/// The one writer of a [Database]: every write of the store goes through it, and it commits them in groups.
///
/// Callers submit a [WriteTask] and block. A single writer thread takes the first queued task, drains every
/// task queued meanwhile (up to [#MAX_BATCH]) and runs them all in **one transaction**. A task that throws
/// fails only its own caller: the group is rolled back and run again with each task inside its own
/// `SAVEPOINT`, the failing one rolled back to its savepoint, the others' work kept. (Savepoints are
/// not used on the first attempt, since tasks rarely fail and they cost two statements per task.) Then it commits **once** (one fsync for the whole group) and only after that completes each
/// caller's future, so a caller never returns before its write is durable. With one caller at a time this
/// is plainly one transaction per call; under load, N concurrent writes cost one commit instead of N.
/// If the commit itself fails, every task of the group fails.
///
/// On SQLite the writer keeps its one connection between groups, and with it a [StatementCache], so the
/// store's few statements are prepared once. On PostgreSQL it borrows a connection from the shared pool
/// per group and the cache lives for that group.
///
/// On PostgreSQL each group first takes a transaction-level advisory lock ([#WRITE_LOCK]), so groups of
/// different server replicas are serialised and cannot deadlock on each other's row locks; the same round
/// trip reads the head of the audit chain under that lock, for the group's audit appends.
final class GroupCommitWriter implements AutoCloseable {

    /// Most tasks committed together.
    static final int MAX_BATCH = 256;
    /// Advisory lock key taken by each write group on PostgreSQL ("CWWRITE" in ASCII).
    static final long WRITE_LOCK = 0x4357_5752_4954_45L;
    /// PostgreSQL: the write lock, then the head of the audit chain under it, in one round trip.
    private static final String LOCK_AND_HEAD_SQL = "SELECT pg_advisory_xact_lock(" + WRITE_LOCK + "); "
            + JdbcAuditLog.HEAD_SQL;

    /// Work done on the writer's connection inside the group transaction.
    ///
    /// @param <T> what the task returns to its caller
    @FunctionalInterface
    interface WriteTask<T> {
        /// Runs the task on the writer connection, inside the open transaction; must not commit.
        @Nullable T run(Connection connection) throws SQLException;
    }

    private record Job<T>(WriteTask<T> task, CompletableFuture<@Nullable T> result) {
        void runIn(Connection c, List<Runnable> completions) throws SQLException {
            T value = task.run(c);
            completions.add(() -> result.complete(value));
        }
    }

    private static final Job<Void> STOP = new Job<>(c -> null, new CompletableFuture<>());

    private final DataSource dataSource;
    private final boolean postgres;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final Thread thread;
    private boolean closed;
    // Owned by the writer thread.
    private @Nullable Connection connection;
    private @Nullable StatementCache statements;
    private @Nullable AuditHead auditHead;
    // Audit entries the group's tasks appended and rows they deferred, inserted together just before the
    // commit (first attempt only).
    private final List<AuditEntry> deferredAudit = new ArrayList<>();
    private final List<DeferredInsert> deferredInserts = new ArrayList<>();
    private boolean deferring;

    GroupCommitWriter(DataSource dataSource, boolean postgres, String name) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        this.thread.start();
    }

    /// Runs `task` in the next group and returns its result once the group has committed.
    ///
    /// @throws SQLException what the task threw, or why the group could not commit
    <T> @Nullable T submit(WriteTask<T> task) throws SQLException {
        Job<T> job = new Job<>(task, new CompletableFuture<>());
        synchronized (this) {
            if (closed) {
                throw new SQLException("the store is closed");
            }
            queue.add(job);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return job.result().get();
                } catch (InterruptedException e) {
                    // The write may already be in flight: wait for its outcome, then restore the flag.
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof SQLException sql) {
                        throw sql;
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new SQLException("write failed", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /// Groups committed so far.
    long commits() {
        return commits.get();
    }

    /// Tasks committed so far (a failed task of a committed group is not counted).
    long writes() {
        return writes.get();
    }

    private void loop() {
        List<Job<?>> batch = new ArrayList<>();
        boolean stop = false;
        try {
            while (!stop) {
                batch.clear();
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    // Only close() stops the writer; keep serving until it does.
                    continue;
                }
                queue.drainTo(batch, MAX_BATCH - 1);
                if (batch.remove(STOP)) {
                    stop = true;
                }
                if (!batch.isEmpty()) {
                    runGroup(batch);
                }
            }
        } finally {
            release();
        }
    }

    /// The prepared statement for `sql` on the writer connection `c`, reused across tasks (and, on SQLite,
    /// across groups). Only for tasks running in this writer; the caller must not close it.
    PreparedStatement statement(Connection c, String sql) throws SQLException {
        StatementCache cache = statements;
        if (cache == null || !cache.isFor(c) || Thread.currentThread() != thread) {
            throw new IllegalStateException("not a task of this writer");
        }
        return cache.get(sql);
    }

    /// The head of the audit chain as read with the current group's lock (PostgreSQL) or written by an earlier
    /// task of the group, or null when it is not known yet in this group (the caller then reads it from the
    /// database).
    @Nullable AuditHead auditHead() {
        return Thread.currentThread() == thread ? auditHead : null;
    }

    /// Remembers the head of the audit chain for the rest of the current group.
    void auditHead(AuditHead head) {
        if (Thread.currentThread() == thread) {
            auditHead = head;
        }
    }

    /// Whether the current task may leave rows it inserts to [#deferAudit] and [#deferInsert]: true on the
    /// group's first attempt, when those rows go to the database in one batch per statement just before the
    /// commit (one round trip instead of one per row); false when the group is run again task by task.
    boolean defers() {
        return Thread.currentThread() == thread && deferring;
    }

    /// Inserts `entry` with the group's other deferred audit appends, before the group commits.
    void deferAudit(AuditEntry entry) {
        checkDeferring();
        deferredAudit.add(entry);
    }

    /// Sets the parameters of a deferred insert.
    @FunctionalInterface
    interface Binder {
        /// Sets every parameter of `ps`.
        void bind(PreparedStatement ps) throws SQLException;
    }

    private record DeferredInsert(String sql, Binder binder, String ifNoRow) {
    }

    /// Runs `sql` (an insert) with the parameters `binder` sets, batched with the group's other deferred
    /// inserts of the same statement, before the group commits. When it inserts no row (a conflict it ignores)
    /// the whole group fails with `ifNoRow` and is run again task by task, where the task inserts the row itself
    /// and learns the outcome.
    void deferInsert(String sql, Binder binder, String ifNoRow) {
        checkDeferring();
        deferredInserts.add(new DeferredInsert(sql, binder, ifNoRow));
    }

    private void checkDeferring() {
        if (!defers()) {
            throw new IllegalStateException("the writer is not deferring inserts now");
        }
    }

    /// Inserts the deferred rows, one batch per statement.
    private void insertDeferred(Connection c) throws SQLException {
        if (!deferredAudit.isEmpty()) {
            JdbcAuditLog.insert(statement(c, JdbcAuditLog.INSERT_SQL), deferredAudit);
        }
        Map<String, List<DeferredInsert>> bySql = new LinkedHashMap<>();
        for (DeferredInsert d : deferredInserts) {
            bySql.computeIfAbsent(d.sql(), k -> new ArrayList<>()).add(d);
        }
        for (Map.Entry<String, List<DeferredInsert>> e : bySql.entrySet()) {
            PreparedStatement ps = statement(c, e.getKey());
            for (DeferredInsert d : e.getValue()) {
                d.binder().bind(ps);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    throw new SQLException(e.getValue().get(i).ifNoRow());
                }
            }
        }
    }

    /// The last audit entry written (empty when the chain is empty), as known inside one group.
    ///
    /// @param entry the head
    record AuditHead(Optional<AuditEntry> entry) {
    }

    private Connection connection() throws SQLException {
        Connection c = connection;
        if (c == null) {
            c = dataSource.getConnection();
            connection = c;
            statements = new StatementCache(c);
        }
        return c;
    }

    /// Closes the cached statements and returns the connection to its pool.
    private void release() {
        StatementCache cache = statements;
        Connection c = connection;
        statements = null;
        connection = null;
        if (cache != null) {
            cache.close();
        }
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // Dropped either way; the next group borrows a fresh connection.
            }
        }
    }

    private void runGroup(List<Job<?>> batch) {
        List<Runnable> completions = new ArrayList<>();
        boolean keep = false;
        auditHead = null;
        try {
            Connection c = connection();
            try {
                c.setAutoCommit(false);
                lockForGroup(c);
                if (!runOptimistically(c, batch, completions)) {
                    // A task failed: its group was rolled back; run the group again, isolating each task.
                    completions.clear();
                    auditHead = null;
                    lockForGroup(c);
                    for (Job<?> job : batch) {
                        Savepoint sp = c.setSavepoint();
                        try {
                            job.runIn(c, completions);
                            c.releaseSavepoint(sp);
                        } catch (SQLException | RuntimeException e) {
                            // The task's writes (an audit append among them) are undone: forget the head.
                            auditHead = null;
                            c.rollback(sp);
                            job.result().completeExceptionally(e);
                        }
                    }
                }
                c.commit();
                commits.incrementAndGet();
                writes.addAndGet(completions.size());
                // SQLite: the one writer connection stays with the writer, with its prepared statements, in
                // auto-commit mode so that it holds no write lock between groups (the driver begins the next
                // transaction as soon as one commits).
                keep = !postgres && idle(c);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            for (Job<?> job : batch) {
                job.result().completeExceptionally(e);
            }
            return;
        } catch (Error e) {
            for (Job<?> job : batch) {
                job.result().completeExceptionally(e);
            }
            throw e;
        } finally {
            auditHead = null;
            if (!keep) {
                release();
            }
        }
        completions.forEach(Runnable::run);
    }

    /// Runs every task of the group in the open transaction without savepoints (two statements fewer per
    /// task, which is the common case: tasks rarely fail), then inserts the rows they deferred (audit entries,
    /// used nonces) in one batch per statement. If one fails (or a batch does), rolls the whole transaction back
    /// and returns false, so that the caller runs the group again with a savepoint around each task; the
    /// tasks are plain database work and run again from scratch.
    private boolean runOptimistically(Connection c, List<Job<?>> batch, List<Runnable> completions)
            throws SQLException {
        deferring = true;
        try {
            for (Job<?> job : batch) {
                job.runIn(c, completions);
            }
            deferring = false;
            insertDeferred(c);
            return true;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            return false;
        } finally {
            deferring = false;
            deferredAudit.clear();
            deferredInserts.clear();
        }
    }

    /// On PostgreSQL, serialises this group with the write groups of other replicas.
    private void lockForGroup(Connection c) throws SQLException {
        if (postgres) {
            // One round trip: the lock, then (as a second statement, so under the lock) the audit chain's head,
            // which most groups append to.
            // Prepared (and so parsed once per connection by the driver), left open in the group's cache.
            PreparedStatement s = statement(c, LOCK_AND_HEAD_SQL);
            s.execute();
            if (!s.getMoreResults()) {
                throw new SQLException("no audit head in the answer to the write lock");
            }
            try (ResultSet rs = s.getResultSet()) {
                auditHead = new AuditHead(rs.next() ? Optional.of(JdbcAuditLog.entry(rs)) : Optional.empty());
            }
        }
    }

    /// Puts the connection back in auto-commit mode after a commit; false if it cannot be trusted any more.
    private static boolean idle(Connection c) {
        try {
            c.setAutoCommit(true);
            return true;
        } catch (SQLException | RuntimeException e) {
            // The group is committed already; only this connection is dropped.
            return false;
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /// Finishes every task queued so far, then stops the writer thread. Later submissions fail.
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
