package io.certwright.ca.registry;

import io.certwright.core.SerialNumber;
import java.time.Instant;
import java.util.Objects;

/// One entry of a CRL: a revoked certificate as [CertificateRepository#forEachRevoked] streams it.
///
/// @param serial serial number
/// @param revokedAt when it was revoked
/// @param reason why
/// @param notAfter its expiry, after which it may leave the CRL
public record RevokedCertificate(SerialNumber serial, Instant revokedAt, RevocationReason reason, Instant notAfter) {

    public RevokedCertificate {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(notAfter, "notAfter");
    }
}
