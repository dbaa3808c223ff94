package io.certwright.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
/// task queued meanwhile (up to [#MAX_BATCH]) and runs them all in **one transaction**, each inside its own
/// `SAVEPOINT`: a task that throws is rolled back to its savepoint and only its caller fails; the others'
/// work stays. Then it commits **once** (one fsync for the whole group) and only after that completes each
/// caller's future, so a caller never returns before its write is durable. With one caller at a time this
/// is plainly one transaction per call; under load, N concurrent writes cost one commit instead of N.
/// If the commit itself fails, every task of the group fails.
///
/// On PostgreSQL each group first takes a transaction-level advisory lock ([#WRITE_LOCK]), so groups of
/// different server replicas are serialised and cannot deadlock on each other's row locks.
final class GroupCommitWriter implements AutoCloseable {

    /// Most tasks committed together.
    static final int MAX_BATCH = 256;
    /// Advisory lock key taken by each write group on PostgreSQL ("CWWRITE" in ASCII).
    static final long WRITE_LOCK = 0x4357_5752_4954_45L;

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
    private final Thread thread;
    private boolean closed;

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

    private void loop() {
        List<Job<?>> batch = new ArrayList<>();
        boolean stop = false;
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
    }

    private void runGroup(List<Job<?>> batch) {
        List<Runnable> completions = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (postgres) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
                    }
                }
                for (Job<?> job : batch) {
                    Savepoint sp = c.setSavepoint();
                    try {
                        job.runIn(c, completions);
                        c.releaseSavepoint(sp);
                    } catch (SQLException | RuntimeException e) {
                        c.rollback(sp);
                        job.result().completeExceptionally(e);
                    }
                }
                c.commit();
                commits.incrementAndGet();
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
        }
        completions.forEach(Runnable::run);
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
