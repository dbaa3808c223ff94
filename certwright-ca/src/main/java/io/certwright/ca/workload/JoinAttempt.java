package io.certwright.ca.workload;

/// The result of presenting a join token.
public sealed interface JoinAttempt {

    /// The token was valid and is now used up; only one caller ever gets this for a token.
    record Consumed(JoinToken token) implements JoinAttempt {
    }

    /// No token has this secret.
    record Unknown() implements JoinAttempt {
    }

    /// The token was used before.
    record AlreadyUsed(JoinToken token) implements JoinAttempt {
    }

    /// The token expired before it was presented.
    record Expired(JoinToken token) implements JoinAttempt {
    }
}
