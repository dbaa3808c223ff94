package io.certwright.ca.registry;

import io.certwright.ca.audit.AuditEvent;
import io.certwright.core.SerialNumber;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/// Port: reading and revoking recorded certificates, and the revocation facts CRLs and OCSP are made from.
public interface CertificateRepository {

    Optional<CertificateRecord> find(SerialNumber serial) throws RegistryException;

    /// The status of one serial, as OCSP answers it: one indexed lookup, lighter than [#find].
    ///
    /// @return empty when the serial is unknown
    Optional<RevocationStatus> status(SerialNumber serial) throws RegistryException;

    CertificatePage list(CertificateQuery query, Instant now) throws RegistryException;

    /// Marks a certificate revoked and appends `audit` to the audit log in the same transaction.
    ///
    /// Idempotent: a certificate revoked before is returned as it is, with the first revocation's time and
    /// reason, [Revocation#alreadyRevoked] set, and no audit entry appended.
    ///
    /// @return the revocation; empty when the serial is unknown
    /// @throws RegistryException of kind `WRONG_STATE` when the serial is pending (never signed), or when
    ///     storage fails
    Optional<Revocation> revoke(SerialNumber serial, RevocationReason reason, Instant at, AuditEvent audit)
            throws RegistryException;

    /// Revokes every certificate the selector takes that is valid at `at` (signed, not revoked, not expired),
    /// each with its own audit entry, `audit.apply(serial)`, appended in the transaction that revokes it.
    ///
    /// The work is split into batches of a few hundred certificates, one transaction each, so it scales to
    /// tens of thousands of certificates without holding the database for long. If storage fails part-way,
    /// the batches committed before stay revoked (with their audit entries) and the exception says how many;
    /// calling again revokes the rest. Certificates another caller revokes meanwhile are left as they are
    /// and not reported.
    ///
    /// @return the serials this call revoked, in no particular order
    List<SerialNumber> revokeAll(RevocationSelector selector, RevocationReason reason, Instant at,
            Function<SerialNumber, AuditEvent> audit) throws RegistryException;

    /// Streams the certificates signed by the key `issuer` that are revoked and expire after `notAfterAfter`,
    /// in no particular order: the entries of that issuer's CRL. Rows are fetched in pages, not collected, so
    /// the call is suitable for 100,000 and more entries; `sink` runs on the calling thread, and an exception
    /// it throws ends the stream and is rethrown.
    ///
    /// @return how many entries were passed to `sink`
    long forEachRevoked(KeyIdentifier issuer, Instant notAfterAfter, Consumer<RevokedCertificate> sink)
            throws RegistryException;

    /// A counter that grows with every revocation of a certificate signed by `issuer`, by one per certificate,
    /// and never goes down; 0 when none was ever revoked. A CRL publisher compares it with the value it saw
    /// when it last published to know whether a new revocation happened since. Idempotent repeats do not count.
    long revocationSequence(KeyIdentifier issuer) throws RegistryException;
}
