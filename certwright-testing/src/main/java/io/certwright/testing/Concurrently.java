package io.certwright.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/// Runs tasks on their own threads, released together by a latch, for the contract suites.
public final class Concurrently {

    private Concurrently() {
    }

    /// Starts every task on its own thread, opens `start`, and returns their results in task order.
    public static <T> List<T> run(List<Callable<T>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /// What racer number `racer` of [#race] does.
    ///
    /// @param <T> what it returns
    @FunctionalInterface
    public interface Racer<T> {
        /// Runs racer number `racer`.
        T run(int racer) throws Exception;
    }

    /// Runs `racers` copies of `task`, each on its own thread and released together; returns their results in
    /// racer order.
    public static <T> List<T> race(int racers, Racer<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            int racer = i;
            tasks.add(() -> {
                start.await();
                return task.run(racer);
            });
        }
        return run(tasks, start);
    }
}
