package io.certwright.inventory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// One place where a certificate was seen, with the first and the latest time it was seen there.
///
/// @param place where
/// @param firstSeen the first time it was seen there
/// @param lastSeen the latest time it was seen there, never before `firstSeen`
/// @param tls what the latest TLS scan of an endpoint learned; empty for files and keystores
public record Sighting(Place place, Instant firstSeen, Instant lastSeen, Optional<TlsFacts> tls) {

    public Sighting {
        Objects.requireNonNull(place, "place");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(tls, "tls");
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("lastSeen is before firstSeen");
        }
    }

    /// This sighting updated by another observation at `at`: first/last seen widen to include `at`, the TLS
    /// facts of the latest observation win.
    Sighting seenAgain(Instant at, Optional<TlsFacts> facts) {
        Instant first = at.isBefore(firstSeen) ? at : firstSeen;
        boolean newer = !at.isBefore(lastSeen);
        Instant last = newer ? at : lastSeen;
        Optional<TlsFacts> latest = newer && facts.isPresent() ? facts : tls;
        return new Sighting(place, first, last, latest);
    }
}
