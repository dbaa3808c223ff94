package io.certwright.ca.registry;

import io.certwright.core.SerialNumber;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// What an OCSP responder needs to know of one serial, from [CertificateRepository#status].
///
/// @param serial serial number
/// @param status life-cycle state; a pending serial was never signed as far as the registry knows
/// @param notAfter end of its validity
/// @param revokedAt when it was revoked, for a revoked certificate
/// @param reason why it was revoked, for a revoked certificate
/// @param issuerKeyId the key that signed it (its authority key identifier); empty while pending
public record RevocationStatus(SerialNumber serial, CertificateStatus status, Instant notAfter,
        Optional<Instant> revokedAt, Optional<RevocationReason> reason, Optional<KeyIdentifier> issuerKeyId) {

    public RevocationStatus {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(notAfter, "notAfter");
    }
}
