package io.certwright.server.acme;

import io.certwright.acme.AcmeCertificate;
import io.certwright.acme.AcmeIssuer;
import io.certwright.acme.AcmeIssuerException;
import io.certwright.acme.store.Identifier;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.CsrContents;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.LedgerException;
import io.certwright.ca.Requester;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.Revocation;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.SerialNumber;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The ACME server's issuance port over the one issuance path: certificates are signed by the
/// [CertificateAuthority] (policy, ledger, audit entry and registry row in one commit) with the `server`
/// profile, and revoked through the registry that OCSP and the CRL publisher watch.
public final class ServerAcmeIssuer implements AcmeIssuer {

    private final CertificateAuthority ca;
    private final CertificateRepository registry;
    private final Clock clock;

    /// An issuer over `ca`, reading and revoking through `registry` (the revocation service's, so that
    /// OCSP answers and CRLs follow each revocation at once).
    public ServerAcmeIssuer(CertificateAuthority ca, CertificateRepository registry, Clock clock) {
        this.ca = ca;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public IssuedCertificate issue(CsrContents csr, String provisioner, List<Identifier> identifiers,
            Duration lifetime, Requester requester) throws AcmeIssuerException {
        try {
            return ca.issue(csr.toRequest(Profile.SERVER, Optional.of(lifetime)), requester);
        } catch (PolicyException e) {
            throw new AcmeIssuerException(AcmeIssuerException.Kind.REFUSED, String.valueOf(e.getMessage()), e);
        } catch (GeneralSecurityException | LedgerException e) {
            throw new AcmeIssuerException(AcmeIssuerException.Kind.UNAVAILABLE, "the CA could not sign: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Optional<AcmeCertificate> find(SerialNumber serial) throws AcmeIssuerException {
        Optional<CertificateRecord> record;
        try {
            record = registry.find(serial);
        } catch (RegistryException e) {
            throw new AcmeIssuerException(AcmeIssuerException.Kind.UNAVAILABLE, "the registry failed: "
                    + e.getMessage(), e);
        }
        if (record.isEmpty() || record.get().status() == CertificateStatus.PENDING || record.get().pem().isEmpty()) {
            return Optional.empty();
        }
        // Served as stored; parsed only if the ACME server needs more than the text.
        CertificateRecord r = record.get();
        return Optional.of(AcmeCertificate.stored(serial, r.pem().get(), r.status() == CertificateStatus.REVOKED,
                r.requester(), r.provisioner()));
    }

    @Override
    public RevocationResult revoke(SerialNumber serial, RevocationReason reason, String actor)
            throws AcmeIssuerException {
        Optional<Revocation> revoked;
        try {
            revoked = registry.revoke(serial, reason, clock.instant(), AuditEvent.success(actor,
                    "certificate.revoke", serial.hex(), Map.of("reason", reason.wireName(), "via", "acme")));
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.WRONG_STATE) {
                return RevocationResult.UNKNOWN;
            }
            throw new AcmeIssuerException(AcmeIssuerException.Kind.UNAVAILABLE, "the registry failed: "
                    + e.getMessage(), e);
        }
        if (revoked.isEmpty()) {
            return RevocationResult.UNKNOWN;
        }
        return revoked.get().alreadyRevoked() ? RevocationResult.ALREADY_REVOKED : RevocationResult.REVOKED;
    }

    @Override
    public List<X509Certificate> issuingChain(AcmeCertificate leaf) {
        // The issuer's certificate and those above it, without self-signed roots: clients hold those.
        return ca.issuer().issuingChain().stream()
                .filter(c -> !c.getSubjectX500Principal().equals(c.getIssuerX500Principal()))
                .toList();
    }
}
