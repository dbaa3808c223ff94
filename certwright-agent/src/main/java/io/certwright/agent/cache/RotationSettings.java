package io.certwright.agent.cache;

import java.time.Duration;

/// How often the agent talks to the server and how it backs off.
///
/// @param refreshInterval how often the registration entries and the bundle are re-read
/// @param backoff the waits after consecutive failures to reach the server
/// @param batchSize the largest number of SVIDs asked for in one call
public record RotationSettings(Duration refreshInterval, Backoff backoff, int batchSize) {

    /// Entries and bundle every 5 seconds, backoff from 1 s to 60 s, batches of 500.
    public static final RotationSettings DEFAULT = new RotationSettings(Duration.ofSeconds(5), Backoff.DEFAULT, 500);

    public RotationSettings {
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive: " + refreshInterval);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
    }
}
