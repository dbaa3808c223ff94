package io.certwright.acme;

/// The [AcmeIssuer] could not do what was asked.
public final class AcmeIssuerException extends Exception {

    private static final long serialVersionUID = 1L;

    /// Why.
    public enum Kind {
        /// The CA's policy refused the request; the message says why, worded for the client.
        REFUSED,
        /// The CA or its storage failed; retrying later may work.
        UNAVAILABLE
    }

    private final Kind kind;

    /// A failure of the given kind.
    public AcmeIssuerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /// A failure of the given kind, without a cause.
    public AcmeIssuerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /// Why it failed.
    public Kind kind() {
        return kind;
    }
}
