package io.certwright.acme;

import io.certwright.acme.store.Identifier;
import io.certwright.ca.CsrContents;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.SerialNumber;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/// Port: how the ACME server obtains, finds and revokes certificates. The server implements it over the one
/// issuance path every protocol shares (its `CertificateAuthority` and certificate registry), so that ACME
/// certificates are recorded and audited like any other.
public interface AcmeIssuer {

    /// What a revocation did.
    enum RevocationResult {
        /// This call revoked the certificate.
        REVOKED,
        /// The certificate was revoked before; nothing changed.
        ALREADY_REVOKED,
        /// No certificate with that serial was issued.
        UNKNOWN
    }

    /// Issues a server certificate for a PKCS#10 request whose names the ACME server has already matched
    /// with `identifiers` and whose key it has checked.
    ///
    /// @param csr the client's CSR, read (its signature verified) for the `server` profile; the ACME server
    ///     reads it once to check it and hands over what it read, so the CA does not parse it again
    /// @param provisioner the ACME provisioner's name
    /// @param identifiers the order's identifiers, for the CA's own policy checks
    /// @param lifetime the certificate's lifetime
    /// @param requester who asked: actor `acme:<provisioner>:<account id>`, provisioner `acme:<provisioner>`
    /// @throws AcmeIssuerException of kind [AcmeIssuerException.Kind#REFUSED] when policy refuses (nothing
    ///     issued), [AcmeIssuerException.Kind#UNAVAILABLE] when the CA fails
    IssuedCertificate issue(CsrContents csr, String provisioner, List<Identifier> identifiers, Duration lifetime,
            Requester requester) throws AcmeIssuerException;

    /// The signed certificate with `serial`; empty when there is none (or it was never signed). A certificate
    /// read from storage is best handed out as [AcmeCertificate#stored], so that serving it parses nothing.
    Optional<AcmeCertificate> find(SerialNumber serial) throws AcmeIssuerException;

    /// Revokes a certificate; idempotent.
    ///
    /// @param actor the audit actor on whose behalf it is revoked
    RevocationResult revoke(SerialNumber serial, RevocationReason reason, String actor) throws AcmeIssuerException;

    /// The CA certificates from the issuer of `leaf` up to, but excluding, the root: what follows the leaf in
    /// the PEM chain the client downloads. An implementation that needs more of `leaf` than its serial and
    /// stored form parses it through [AcmeCertificate#certificate()]; downloads are cheapest when it does not.
    List<X509Certificate> issuingChain(AcmeCertificate leaf) throws AcmeIssuerException;
}
