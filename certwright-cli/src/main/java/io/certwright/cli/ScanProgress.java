package io.certwright.cli;

import io.certwright.inventory.discovery.Observation;
import io.certwright.inventory.discovery.ScanError;
import io.certwright.inventory.discovery.ScanListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/// A one-line progress bar for `scan` on stderr, redrawn in place at most ten times a second:
/// `[##########..........]  1000/2000 targets, 12 errors`.
final class ScanProgress implements ScanListener {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String unit;
    private final int total;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private long lastDraw;

    ScanProgress(PrintWriter err, int total, String unit) {
        this.err = err;
        this.total = total;
        this.unit = unit;
    }

    @Override
    public void observed(Observation observation) {
        int d = done.incrementAndGet();
        if (observation instanceof ScanError) {
            errors.incrementAndGet();
        }
        long now = System.nanoTime();
        synchronized (this) {
            if (d == total || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                err.print("\r" + line(d, total, errors.get(), unit));
                err.flush();
            }
        }
    }

    /// Clears the bar so that what follows starts on a clean line.
    synchronized void finish() {
        err.print("\r" + " ".repeat(WIDTH + 50) + "\r");
        err.flush();
    }

    /// The bar's text for `done` of `total` with `errors` errors.
    static String line(int done, int total, int errors, String unit) {
        int filled = total <= 0 ? WIDTH : (int) ((long) WIDTH * Math.min(done, total) / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%" + String.valueOf(Math.max(total, 1)).length() + "d/%d %s, %d %s",
                        done, total, unit, errors, errors == 1 ? "error" : "errors");
    }

    /// Whether this process's stderr is a terminal (Linux: file descriptor 2 is a tty or pseudo-terminal).
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
