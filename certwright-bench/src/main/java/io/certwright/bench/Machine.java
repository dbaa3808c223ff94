package io.certwright.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/// What the benchmark reports say about the machine they ran on.
final class Machine {

    private Machine() {
    }

    /// The 1, 5 and 15 minute load averages as `a, b, c`, or `?` where `/proc/loadavg` cannot be read: every
    /// report records them before and after its run, so a disturbed run shows.
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).strip().split(" ", -1);
            return f.length >= 3 ? f[0] + ", " + f[1] + ", " + f[2] : "?";
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
