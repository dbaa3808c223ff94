package io.certwright.acme.store;

/// Account states (RFC 8555 section 7.1.6): an account starts valid and ends deactivated (by its
/// holder) or revoked (by the server).
public enum AccountStatus {
    VALID,
    DEACTIVATED,
    REVOKED;

    /// The name on the wire.
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
