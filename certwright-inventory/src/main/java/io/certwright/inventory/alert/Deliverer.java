package io.certwright.inventory.alert;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/// Sends one notification on one channel, retrying retryable failures with backoff, and writes the result to the
/// delivery log.
public final class Deliverer {

    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final DeliveryLog log;
    private final Clock clock;

    /// A deliverer.
    ///
    /// @param retry how often and how far apart to retry
    /// @param sleeper waits between attempts
    /// @param random jitter source
    /// @param log where results are written
    /// @param clock for the log's timestamps
    public Deliverer(RetryPolicy retry, Sleeper sleeper, RandomGenerator random, DeliveryLog log, Clock clock) {
        this.retry = Objects.requireNonNull(retry, "retry");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /// Sends `notification` on `channel`, retrying as the policy allows, and returns the logged record.
    public DeliveryRecord deliver(Notification notification, AlertChannel channel) {
        String error = "";
        int attempt = 0;
        DeliveryOutcome outcome = DeliveryOutcome.FAILED;
        while (attempt < retry.maxAttempts()) {
            attempt++;
            if (attempt > 1) {
                Duration delay = retry.delayBefore(attempt, random);
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = "interrupted while waiting to retry";
                    break;
                }
            }
            AlertChannel.Attempt result;
            try {
                result = channel.send(notification);
            } catch (RuntimeException e) {
                result = new AlertChannel.RetryableFailure("unexpected " + e.getClass().getSimpleName());
            }
            if (result instanceof AlertChannel.Sent) {
                outcome = DeliveryOutcome.DELIVERED;
                break;
            }
            if (result instanceof AlertChannel.PermanentFailure(String e)) {
                error = e;
                break;
            }
            if (result instanceof AlertChannel.RetryableFailure(String e)) {
                error = e;
            }
        }
        DeliveryRecord record = new DeliveryRecord(clock.instant(), notification.id(), notification.kind(),
                channel.type(), channel.name(), channel.target(), outcome, attempt,
                outcome == DeliveryOutcome.DELIVERED ? Optional.empty() : Optional.of(error));
        log.append(record);
        return record;
    }
}
