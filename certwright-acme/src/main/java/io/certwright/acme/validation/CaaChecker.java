package io.certwright.acme.validation;

import io.certwright.acme.store.Identifier;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/// Checks, before a certificate is issued, whether the CAA records of a DNS name let this CA issue for it
/// (RFC 8659). Never runs on the caller's thread and never throws: every failure, a timeout included,
/// completes the future with [CaaOutcome.LookupFailed].
public interface CaaChecker {

    /// Starts checking `identifier` (a DNS name, possibly a wildcard; an IP address has no CAA records and
    /// is always [CaaOutcome.Permitted]) for a CA that calls itself any of `issuerDomains` in CAA records.
    CompletableFuture<CaaOutcome> check(Identifier identifier, List<String> issuerDomains);
}
