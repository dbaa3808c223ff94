package io.certwright.server.revocation;

import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.registry.CertificatePage;
import io.certwright.ca.registry.CertificateQuery;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.Revocation;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.registry.RevocationSelector;
import io.certwright.ca.registry.RevocationStatus;
import io.certwright.ca.registry.RevokedCertificate;
import io.certwright.core.SerialNumber;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/// The certificate registry as every revoking caller on this server sees it: each revocation that changed
/// something is reported to the revocation service once it is committed, whichever route made it.
final class ObservedRegistry implements CertificateRepository {

    /// Told about certificates this replica just revoked.
    @FunctionalInterface
    interface Listener {
        /// `serials` were revoked; an empty list means some certificates may have been, which ones is not known.
        void revoked(List<SerialNumber> serials);
    }

    private final CertificateRepository delegate;
    private final Listener listener;

    ObservedRegistry(CertificateRepository delegate, Listener listener) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public Optional<CertificateRecord> find(SerialNumber serial) throws RegistryException {
        return delegate.find(serial);
    }

    @Override
    public Optional<RevocationStatus> status(SerialNumber serial) throws RegistryException {
        return delegate.status(serial);
    }

    @Override
    public CertificatePage list(CertificateQuery query, Instant now) throws RegistryException {
        return delegate.list(query, now);
    }

    @Override
    public Optional<Revocation> revoke(SerialNumber serial, RevocationReason reason, Instant at, AuditEvent audit)
            throws RegistryException {
        Optional<Revocation> r = delegate.revoke(serial, reason, at, audit);
        if (r.isPresent() && !r.get().alreadyRevoked()) {
            listener.revoked(List.of(serial));
        }
        return r;
    }

    @Override
    public List<SerialNumber> revokeAll(RevocationSelector selector, RevocationReason reason, Instant at,
            Function<SerialNumber, AuditEvent> audit) throws RegistryException {
        List<SerialNumber> revoked;
        try {
            revoked = delegate.revokeAll(selector, reason, at, audit);
        } catch (RegistryException | RuntimeException e) {
            // Batches committed before the failure stay revoked.
            listener.revoked(List.of());
            throw e;
        }
        if (!revoked.isEmpty()) {
            listener.revoked(revoked);
        }
        return revoked;
    }

    @Override
    public long forEachRevoked(KeyIdentifier issuer, Instant notAfterAfter, Consumer<RevokedCertificate> sink)
            throws RegistryException {
        return delegate.forEachRevoked(issuer, notAfterAfter, sink);
    }

    @Override
    public long revocationSequence(KeyIdentifier issuer) throws RegistryException {
        return delegate.revocationSequence(issuer);
    }
}
