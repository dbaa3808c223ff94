package io.certwright.acme.store;

/// Challenge states (RFC 8555 section 7.1.6).
public enum ChallengeStatus {
    PENDING,
    PROCESSING,
    VALID,
    INVALID;

    /// The name on the wire.
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
