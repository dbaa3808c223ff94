package io.certwright.inventory.discovery;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/// How a [TlsScanner] works.
///
/// @param concurrency   the most handshakes in flight at once, 1 to [#MAX_CONCURRENCY]
/// @param timeout       the limit for connecting, the STARTTLS preamble and the handshake of one attempt
/// @param attempts      1, or 2 to retry once a target that failed for a reason that may pass (timeout,
///                      refused, unreachable, a failed handshake)
/// @param extraRoots    roots to judge chains against besides the JDK's (for example Certwright's own roots)
/// @param checkJdkRoots whether to judge chains against the JDK's default trust store too
public record ScanSettings(int concurrency, Duration timeout, int attempts, List<X509Certificate> extraRoots,
        boolean checkJdkRoots) {

    /// The upper bound of [#concurrency].
    public static final int MAX_CONCURRENCY = 10_000;

    /// 64 handshakes at once, 5 s per attempt, one retry, no extra roots, the JDK's trust store checked.
    public static ScanSettings defaults() {
        return new ScanSettings(64, Duration.ofSeconds(5), 2, List.of(), true);
    }

    public ScanSettings {
        Objects.requireNonNull(timeout, "timeout");
        extraRoots = List.copyOf(extraRoots);
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be 1.." + MAX_CONCURRENCY + ", not " + concurrency);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("timeout must be positive and at most 10 minutes");
        }
        if (attempts < 1 || attempts > 2) {
            throw new IllegalArgumentException("attempts must be 1 or 2, not " + attempts);
        }
    }

    public ScanSettings withConcurrency(int n) {
        return new ScanSettings(n, timeout, attempts, extraRoots, checkJdkRoots);
    }

    public ScanSettings withTimeout(Duration d) {
        return new ScanSettings(concurrency, d, attempts, extraRoots, checkJdkRoots);
    }

    public ScanSettings withAttempts(int n) {
        return new ScanSettings(concurrency, timeout, n, extraRoots, checkJdkRoots);
    }

    public ScanSettings withExtraRoots(List<X509Certificate> roots) {
        return new ScanSettings(concurrency, timeout, attempts, roots, checkJdkRoots);
    }

    public ScanSettings withJdkRoots(boolean check) {
        return new ScanSettings(concurrency, timeout, attempts, extraRoots, check);
    }
}
