package io.certwright.agent.node;

import java.io.Serial;
import java.util.Objects;

/// A failed call to the node API, classified by what the agent should do about it.
public final class NodeException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /// What a failure means for the caller.
    public enum Kind {
        /// The server could not be reached or answered 5xx or 429: retry later, with backoff.
        UNAVAILABLE,
        /// The server refused: the node is banned, its SVID or join token expired or was already used.
        /// Retrying the same call will fail the same way.
        DENIED,
        /// The request was malformed (a bad CSR, an unknown entry): a bug or a mismatch of versions.
        INVALID
    }

    private final Kind kind;

    public NodeException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public NodeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /// What kind of failure this is.
    public Kind kind() {
        return kind;
    }

    /// Whether retrying later may succeed.
    public boolean retryable() {
        return kind == Kind.UNAVAILABLE;
    }
}
