package io.certwright.agent.cache;

import java.time.Duration;
import java.util.random.RandomGenerator;

/// Exponential backoff with full jitter: after the n-th consecutive failure wait a uniformly random time
/// between zero and `min(cap, base * 2^(n-1))`.
///
/// @param base the ceiling after the first failure
/// @param cap the largest ceiling
public record Backoff(Duration base, Duration cap) {

    /// 1 second doubling up to 60 seconds.
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got " + base + " and " + cap);
        }
    }

    /// The ceiling of the wait after `failures` consecutive failures (at least 1).
    public Duration ceiling(int failures) {
        int shift = Math.min(Math.max(failures, 1) - 1, 30);
        long nanos = base.toNanos();
        long ceiling = nanos > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : nanos << shift;
        return Duration.ofNanos(Math.min(ceiling, cap.toNanos()));
    }

    /// A wait drawn uniformly from `[0, ceiling(failures)]`.
    public Duration delay(int failures, RandomGenerator random) {
        long ceiling = ceiling(failures).toNanos();
        return Duration.ofNanos(random.nextLong(ceiling + 1));
    }
}
