package io.certwright.ca;

import java.time.Duration;
import java.util.Objects;

/// Lifetime rules of one profile.
///
/// @param defaultLifetime granted when the request names none
/// @param minimum shortest lifetime accepted
/// @param maximum longest lifetime accepted
public record Lifetimes(Duration defaultLifetime, Duration minimum, Duration maximum) {

    /// Default lifetime of leaf certificates.
    public static final Duration DEFAULT = Duration.ofHours(24);
    /// Shortest lifetime any certificate may have.
    public static final Duration MINIMUM = Duration.ofMinutes(5);

    public Lifetimes {
        Objects.requireNonNull(defaultLifetime, "defaultLifetime");
        if (minimum.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException("minimum lifetime cannot be below " + MINIMUM.toMinutes() + " minutes");
        }
        if (maximum.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("maximum lifetime " + maximum + " is below minimum " + minimum);
        }
        if (defaultLifetime.compareTo(minimum) < 0 || defaultLifetime.compareTo(maximum) > 0) {
            throw new IllegalArgumentException("default lifetime " + defaultLifetime + " lies outside " + minimum
                    + " .. " + maximum);
        }
    }

    /// 24 hours by default, 5 minutes to `maximum`.
    public static Lifetimes upTo(Duration maximum) {
        Duration def = DEFAULT.compareTo(maximum) <= 0 ? DEFAULT : maximum;
        return new Lifetimes(def, MINIMUM, maximum);
    }
}
