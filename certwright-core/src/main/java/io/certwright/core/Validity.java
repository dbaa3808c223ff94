package io.certwright.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/// A certificate validity window. `notAfter` is inclusive, as in X.509.
///
/// @param notBefore first instant the certificate is valid
/// @param notAfter last instant the certificate is valid
public record Validity(Instant notBefore, Instant notAfter) {

    public Validity {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
    }

    /// The window `[start - backdate, start + lifetime]`.
    public static Validity starting(Instant start, Duration lifetime, Duration backdate) {
        return new Validity(start.minus(backdate), start.plus(lifetime));
    }

    /// Length of the window.
    public Duration duration() {
        return Duration.between(notBefore, notAfter);
    }

    /// Whether `other` lies entirely inside this window.
    public boolean contains(Validity other) {
        return !other.notBefore.isBefore(notBefore) && !other.notAfter.isAfter(notAfter);
    }

    /// Whether `instant` lies inside the window.
    public boolean contains(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }

    /// Time left at `now`; negative once expired.
    public Duration remaining(Instant now) {
        return Duration.between(now, notAfter);
    }
}
