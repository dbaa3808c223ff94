package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/// The writer's linger: under concurrent load a write that arrives shortly after a group has started
/// gathering joins that group's commit, while a lone writer never waits.
class GroupCommitLingerTest {

    @TempDir
    Path dir;
    SQLiteDataSource data;
    ExecutorService threads;

    @BeforeEach
    void database() throws Exception {
        data = new SQLiteDataSource();
        data.setUrl("jdbc:sqlite:" + dir.resolve("linger.db"));
        try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v INTEGER NOT NULL)");
        }
        threads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static GroupCommitWriter.WriteTask<Integer> insert(int v) {
        return c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                p.setInt(1, v);
                return p.executeUpdate();
            }
        };
    }

    private CompletableFuture<Integer> submit(GroupCommitWriter w, GroupCommitWriter.WriteTask<Integer> task) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return w.submit(task);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(1);
        }
    }

    private long rows() throws Exception {
        try (Connection c = data.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
            r.next();
            return r.getLong(1);
        }
    }

    /// Makes the writer's last group one of two tasks, as under concurrent load.
    private void loadWith(GroupCommitWriter w) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> blocker = submit(w, c -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
            }
            return insert(0).run(c);
        });
        running.await();
        CompletableFuture<Integer> a = submit(w, insert(1));
        CompletableFuture<Integer> b = submit(w, insert(2));
        await(() -> w.queued() == 2);
        assertThat(w.submitted()).isEqualTo(3);
        release.countDown();
        CompletableFuture.allOf(blocker, a, b).get();
    }

    @Test
    void underConcurrentLoadAWriteArrivingDuringTheLingerSharesTheCommit() throws Exception {
        GroupCommitWriter w = new GroupCommitWriter(data, false, "linger-test", Duration.ofMinutes(10));
        loadWith(w);
        long before = w.commits();

        long submitted = w.submitted();
        CompletableFuture<Integer> first = submit(w, insert(3));
        await(() -> w.submitted() == submitted + 1 && w.queued() == 0);
        assertThat(first).as("the writer holds the first write while it lingers").isNotDone();
        CompletableFuture<Integer> second = submit(w, insert(4));
        await(() -> w.submitted() == submitted + 2 && w.queued() == 0);
        assertThat(second).isNotDone();

        // Closing ends the linger: what was gathered commits, together.
        w.close();
        assertThat(first.get()).isEqualTo(1);
        assertThat(second.get()).isEqualTo(1);
        assertThat(w.commits() - before).isEqualTo(1);
        assertThat(rows()).isEqualTo(5);
    }

    @Test
    void aLoneWriterNeverWaitsForCompany() throws Exception {
        GroupCommitWriter w = new GroupCommitWriter(data, false, "linger-test", Duration.ofDays(1));
        try {
            // A lingering writer would hold each of these for a day.
            assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
                for (int i = 0; i < 3; i++) {
                    assertThat(w.submit(insert(i))).isEqualTo(1);
                }
            });
            assertThat(w.commits()).isEqualTo(3);
            assertThat(w.writes()).isEqualTo(3);
        } finally {
            w.close();
        }
    }

    @Test
    void withoutLingerEachLoneWriteAfterConcurrentLoadCommitsOnItsOwn() throws Exception {
        GroupCommitWriter w = new GroupCommitWriter(data, false, "linger-test", Duration.ZERO);
        try {
            loadWith(w);
            long before = w.commits();
            submit(w, insert(3)).get();
            submit(w, insert(4)).get();
            assertThat(w.commits() - before).isEqualTo(2);
            assertThat(rows()).isEqualTo(5);
        } finally {
            w.close();
        }
    }
}
