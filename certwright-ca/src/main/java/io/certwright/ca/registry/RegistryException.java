package io.certwright.ca.registry;

import java.io.Serial;

/// A registry operation failed: the certificate is in the wrong state for it, or storage failed.
public final class RegistryException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /// Why, in terms a caller can map to a protocol error.
    public enum Kind { WRONG_STATE, STORAGE }

    private final Kind kind;

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
