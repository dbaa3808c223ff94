package io.certwright.ca.audit;

import java.time.Instant;
import java.util.Objects;

/// One link of the audit chain.
///
/// @param sequence position in the log, starting at 1, without gaps
/// @param time when it was appended, truncated to milliseconds
/// @param event what happened
/// @param previousHash hash of the entry before (64 zeros for the first)
/// @param hash SHA-256, hex, over the canonical form of this entry and `previousHash` (see [AuditChain])
public record AuditEntry(long sequence, Instant time, AuditEvent event, String previousHash, String hash) {

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
        if (sequence < 1) {
            throw new IllegalArgumentException("audit sequence starts at 1");
        }
    }
}
