package io.certwright.ca.registry;

import io.certwright.ca.audit.AuditEvent;
import io.certwright.core.SerialNumber;
import java.time.Instant;
import java.util.Optional;

/// Port: reading and revoking recorded certificates.
public interface CertificateRepository {

    Optional<CertificateRecord> find(SerialNumber serial) throws RegistryException;

    CertificatePage list(CertificateQuery query, Instant now) throws RegistryException;

    /// Marks a valid certificate revoked and appends `audit` to the audit log in the same transaction.
    ///
    /// @return the updated record; empty when the serial is unknown
    /// @throws RegistryException when it is pending or already revoked, or storage fails
    Optional<CertificateRecord> revoke(SerialNumber serial, RevocationReason reason, Instant at, AuditEvent audit)
            throws RegistryException;
}
