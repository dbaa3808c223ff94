package io.certwright.ca.revocation;

import io.certwright.ca.registry.RegistryException;
import io.certwright.core.SerialNumber;
import java.security.cert.X509Certificate;

/// Port: the status of a certificate, by issuer and serial number; the OCSP responder's only view of the
/// store. Implementations must be thread-safe and answer from committed state, so that a revocation is
/// visible to the next lookup.
///
/// A certificate recorded before signing whose signing was never confirmed may nevertheless exist (record
/// before sign); an implementation should answer [RevocationStatus.Good] for it unless it was revoked,
/// rather than `unknown`, which clients treat as a failure.
@FunctionalInterface
public interface RevocationLookup {

    /// The status of the certificate with `serial` that `issuer` signed; [RevocationStatus.Unknown] when
    /// `issuer` signed no such certificate.
    ///
    /// @throws RegistryException when storage cannot answer now; the responder answers `tryLater`
    RevocationStatus status(X509Certificate issuer, SerialNumber serial) throws RegistryException;
}
