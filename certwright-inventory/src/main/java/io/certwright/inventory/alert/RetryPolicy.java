package io.certwright.inventory.alert;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/// How often and how far apart a failed delivery is retried: exponential backoff with jitter, then give up.
///
/// The delay before attempt `n` (from 2) is `initialDelay * multiplier^(n-2)`, capped at `maxDelay`, then
/// reduced by a random fraction of up to `jitter`, so that many senders retrying at once spread out.
///
/// @param maxAttempts attempts in total, at least 1
/// @param initialDelay delay before the second attempt
/// @param multiplier growth per attempt, at least 1
/// @param maxDelay longest delay
/// @param jitter fraction of the delay that is random, 0 to 1
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
        double jitter) {

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("maxAttempts must be 1 to 20");
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("delays must be non-negative and maxDelay at least initialDelay");
        }
        if (!(multiplier >= 1) || !(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("multiplier must be at least 1 and jitter between 0 and 1");
        }
    }

    /// Five attempts, 2 s doubling to at most 1 min, half of each delay random.
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 0.5);
    }

    /// The delay before attempt `attempt` (2 for the first retry).
    public Duration delayBefore(int attempt, RandomGenerator random) {
        if (attempt < 2) {
            return Duration.ZERO;
        }
        double base = (double) initialDelay.toMillis() * Math.pow(multiplier, attempt - 2);
        double capped = Math.min(base, (double) maxDelay.toMillis());
        double withJitter = capped * (1 - jitter * random.nextDouble());
        return Duration.ofMillis((long) withJitter);
    }
}
