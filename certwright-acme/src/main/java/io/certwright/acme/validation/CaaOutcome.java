package io.certwright.acme.validation;

/// What a CAA check found (RFC 8659).
public sealed interface CaaOutcome {

    /// No relevant CAA record set restricts issuance, or one names this CA.
    record Permitted() implements CaaOutcome {
    }

    /// The relevant CAA record set forbids this CA to issue.
    ///
    /// @param detail which records at which name, for the client
    record Forbidden(String detail) implements CaaOutcome {
    }

    /// The CAA records could not be read (the DNS server failed or did not answer), so issuance must not
    /// go ahead (RFC 8659 section 3).
    ///
    /// @param detail which question to which server failed how, for the client
    record LookupFailed(String detail) implements CaaOutcome {
    }
}
