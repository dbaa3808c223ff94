package io.certwright.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/// The child processes a benchmark starts (servers, databases, peer tools): started and remembered, waited
/// for, stopped politely and then by force, and all killed by the shutdown hook if the benchmark dies first.
final class ChildProcesses {

    /// How often [#waitFor] checks its condition.
    private static final Duration POLL = Duration.ofMillis(100);

    private final List<Process> children = new CopyOnWriteArrayList<>();

    /// A condition on a starting child, checked until it holds.
    @FunctionalInterface
    interface Condition {
        boolean holds() throws IOException;
    }

    /// Starts `pb` and remembers the process.
    Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        children.add(p);
        return p;
    }

    /// Remembers a process started elsewhere.
    void add(Process p) {
        children.add(p);
    }

    /// Ends a child: closes its input (which stops the benchmark's own servers), gives it `grace` to exit,
    /// then sends SIGTERM, and after 15 s SIGKILL.
    void stop(Process p, Duration grace) throws InterruptedException {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        children.remove(p);
    }

    /// Kills every remembered child and its descendants: the shutdown hook.
    void killAll() {
        for (Process p : children) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /// Waits up to `max` for `condition`; false when it did not hold in time or `p` exited first.
    static boolean waitFor(Condition condition, Process p, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return true;
            }
            if (!p.isAlive()) {
                return false;
            }
            Thread.sleep(POLL);
        }
        return false;
    }
}
