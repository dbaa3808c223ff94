package io.certwright.acme.store;

/// The ACME store could not do what was asked.
public final class AcmeStoreException extends Exception {

    private static final long serialVersionUID = 1L;

    /// Why.
    public enum Kind {
        /// A uniqueness rule would be broken (an account key already in use, a duplicate identifier).
        CONFLICT,
        /// The request's nonce ([Effects#nonce]) was used before; nothing was written.
        NONCE_USED,
        /// The account that signed the request ([Effects.Nonce#signer]) is no longer `valid` or no longer has
        /// the key that signed it; nothing was written.
        SIGNER_CHANGED,
        /// The storage failed (I/O, connection, constraint other than uniqueness).
        UNAVAILABLE
    }

    private final Kind kind;

    /// A failure of the given kind.
    public AcmeStoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /// A failure of the given kind, without a cause.
    public AcmeStoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /// Why it failed.
    public Kind kind() {
        return kind;
    }
}
