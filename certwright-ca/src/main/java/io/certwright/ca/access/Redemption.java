package io.certwright.ca.access;

/// The result of presenting an enrollment token.
public sealed interface Redemption {

    /// The token was valid and is now used up.
    record Redeemed(EnrollmentToken token) implements Redemption {
    }

    /// No such token.
    record Unknown() implements Redemption {
    }

    /// The token was used before.
    record AlreadyUsed(EnrollmentToken token) implements Redemption {
    }

    /// The token expired before it was presented.
    record Expired(EnrollmentToken token) implements Redemption {
    }
}
