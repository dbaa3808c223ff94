package io.certwright.inventory.discovery;

import java.time.Instant;
import java.util.Objects;

/// One target that yielded no certificate: what was scanned (as written, or the file), why, and when.
///
/// @param target  the target as the user wrote it or as expanded (`host:port`, a file path, `path#alias`)
/// @param kind    the kind of failure
/// @param message a one-line explanation for a person
/// @param at      when the failure was recorded
public record ScanError(String target, ErrorKind kind, String message, Instant at) implements Observation {

    public ScanError {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        message = message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    @Override
    public String toString() {
        return target + ": " + kind.wireName() + ": " + message;
    }
}
