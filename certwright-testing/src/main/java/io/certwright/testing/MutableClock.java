package io.certwright.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/// A [Clock] that stands still until a test moves it. Thread-safe; clocks derived with [#withZone] share
/// the instant of the clock they came from.
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> instant;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> instant, ZoneId zone) {
        this.instant = instant;
        this.zone = zone;
    }

    /// A clock in UTC showing `start` until it is moved.
    public static MutableClock at(Instant start) {
        return new MutableClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    /// A clock at `text`, an ISO-8601 instant such as `2030-01-01T00:00:00Z`.
    public static MutableClock at(String text) {
        return at(Instant.parse(text));
    }

    /// Moves the clock forward (or, with a negative amount, back) and returns the new instant.
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        return instant.updateAndGet(i -> i.plus(amount));
    }

    /// Sets the clock to `to`.
    public void set(Instant to) {
        instant.set(Objects.requireNonNull(to, "to"));
    }

    @Override
    public Instant instant() {
        return instant.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new MutableClock(instant, newZone);
    }

    @Override
    public String toString() {
        return "MutableClock[" + instant.get() + ", " + zone + "]";
    }
}
