package io.certwright.acme.store;

/// Authorization states (RFC 8555 section 7.1.6).
public enum AuthorizationStatus {
    PENDING,
    VALID,
    INVALID,
    DEACTIVATED,
    EXPIRED,
    REVOKED;

    /// The name on the wire.
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
