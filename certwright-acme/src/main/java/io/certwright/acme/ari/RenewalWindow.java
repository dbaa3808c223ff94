package io.certwright.acme.ari;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// A suggested renewal window (RFC 9773 section 4.2).
///
/// @param start when renewal should start
/// @param end when renewal should be done by; after `start`
/// @param explanationUrl a page explaining the window, when an administrator gave one
public record RenewalWindow(Instant start, Instant end, Optional<String> explanationUrl) {

    /// Checks the order of the bounds.
    public RenewalWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(explanationUrl, "explanationUrl");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a renewal window ends after it starts");
        }
    }
}
