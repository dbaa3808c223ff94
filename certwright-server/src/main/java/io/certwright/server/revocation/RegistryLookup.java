package io.certwright.server.revocation;

import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.revocation.RevocationLookup;
import io.certwright.ca.revocation.RevocationStatus;
import io.certwright.core.SerialNumber;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/// The OCSP responder's view of the certificate registry: one indexed lookup by serial, checked against
/// the key that signed the certificate.
///
/// | registry | answer |
/// |---|---|
/// | no such serial | `unknown` |
/// | signed by another key than the asked issuer's | `unknown` |
/// | revoked | `revoked`, with its time and reason |
/// | valid (expired or not), or pending (recorded, signing not confirmed) | `good` |
final class RegistryLookup implements RevocationLookup {

    private final CertificateRepository registry;
    private final X509Certificate issuer;
    private final KeyIdentifier issuerKeyId;

    RegistryLookup(CertificateRepository registry, X509Certificate issuer) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.issuerKeyId = KeyIdentifier.subjectKeyOf(issuer);
    }

    @Override
    public RevocationStatus status(X509Certificate asked, SerialNumber serial) throws RegistryException {
        KeyIdentifier keyId = asked.equals(issuer) ? issuerKeyId : KeyIdentifier.subjectKeyOf(asked);
        Optional<io.certwright.ca.registry.RevocationStatus> found = registry.status(serial);
        if (found.isEmpty()) {
            return RevocationStatus.unknown();
        }
        io.certwright.ca.registry.RevocationStatus s = found.get();
        if (s.issuerKeyId().isPresent() && !s.issuerKeyId().get().equals(keyId)) {
            return RevocationStatus.unknown();
        }
        return switch (s.status()) {
            case REVOKED -> RevocationStatus.revoked(s.revokedAt().orElse(s.notAfter()),
                    s.reason().orElse(io.certwright.ca.registry.RevocationReason.UNSPECIFIED));
            case VALID, PENDING -> RevocationStatus.good();
        };
    }
}
