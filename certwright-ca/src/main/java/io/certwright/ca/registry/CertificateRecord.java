package io.certwright.ca.registry;

import io.certwright.ca.profile.Profile;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// What the registry knows of one certificate.
///
/// @param serial serial number
/// @param issuer issuer DN (RFC 2253)
/// @param subject subject DN (RFC 2253), possibly empty
/// @param names SANs as text
/// @param spiffeId the SPIFFE ID, if the certificate carries one
/// @param validity validity window
/// @param profile profile it was issued under
/// @param keyAlgorithm subject key type, e.g. `ECDSA P-256`
/// @param sha256 hex SHA-256 fingerprint of the DER certificate; empty while pending
/// @param pem the certificate; empty while pending
/// @param requester who asked (an audit actor)
/// @param provisioner through which provisioner
/// @param status life-cycle state
/// @param revokedAt when it was revoked
/// @param revocationReason why it was revoked
/// @param issuerKeyId the identifier of the key that signed it (its authority key identifier); empty while
///     pending or when the certificate names none
public record CertificateRecord(SerialNumber serial, String issuer, String subject, List<String> names,
        Optional<String> spiffeId, Validity validity, Profile profile, String keyAlgorithm, Optional<String> sha256,
        Optional<String> pem, String requester, String provisioner, CertificateStatus status,
        Optional<Instant> revokedAt, Optional<RevocationReason> revocationReason,
        Optional<KeyIdentifier> issuerKeyId) {

    public CertificateRecord {
        Objects.requireNonNull(serial, "serial");
        names = List.copyOf(names);
    }
}
