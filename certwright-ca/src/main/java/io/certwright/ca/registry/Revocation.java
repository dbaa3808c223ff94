package io.certwright.ca.registry;

import java.util.Objects;

/// The outcome of revoking one certificate: its record as revoked, and whether this call revoked it or
/// found it revoked already. Revoking is idempotent: a repeat leaves the first revocation's time and
/// reason in place and appends no audit entry.
///
/// @param record the certificate, revoked
/// @param alreadyRevoked true when it was revoked before this call and nothing changed
public record Revocation(CertificateRecord record, boolean alreadyRevoked) {

    public Revocation {
        Objects.requireNonNull(record, "record");
        if (record.status() != CertificateStatus.REVOKED) {
            throw new IllegalArgumentException("a revocation needs a revoked record, not " + record.status());
        }
    }
}
