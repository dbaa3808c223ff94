package io.certwright.acme.validation;

import io.certwright.acme.AcmeProblemType;

/// What one validation attempt found.
public sealed interface ValidationOutcome {

    /// The challenge was met.
    record Valid() implements ValidationOutcome {
    }

    /// The challenge was not met.
    ///
    /// @param type the ACME problem type (`connection`, `dns`, `tls`, `incorrectResponse`, `unauthorized`,
    ///     `rejectedIdentifier`, `malformed`)
    /// @param detail what went wrong, for the client; names the address tried and what was received
    record Invalid(AcmeProblemType type, String detail) implements ValidationOutcome {
    }
}
