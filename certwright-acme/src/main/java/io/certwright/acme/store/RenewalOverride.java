package io.certwright.acme.store;

import java.time.Instant;
import java.util.Optional;

/// An administrator's instruction to renew early (RFC 9773): certificates it selects get the given
/// suggested window instead of the computed one, e.g. ahead of a CA rotation or a mass revocation.
///
/// A certificate is selected when it was issued before `issuedBefore` and matches the serial and the
/// issuing key when these are given.
///
/// @param id the override's identifier
/// @param serial only this certificate (lowercase hex serial)
/// @param issuerKeyId only certificates signed by this key (hex subject key identifier of the issuer)
/// @param issuedBefore only certificates issued before this instant
/// @param windowStart start of the suggested window
/// @param windowEnd end of the suggested window
/// @param explanationUrl a page explaining why, for the `explanationURL` field
/// @param createdAt when it was made
public record RenewalOverride(String id, Optional<String> serial, Optional<String> issuerKeyId, Instant issuedBefore,
        Instant windowStart, Instant windowEnd, Optional<String> explanationUrl, Instant createdAt) {
}
