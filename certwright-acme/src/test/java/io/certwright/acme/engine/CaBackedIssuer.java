package io.certwright.acme.engine;

import io.certwright.acme.AcmeCertificate;
import io.certwright.acme.AcmeIssuer;
import io.certwright.acme.AcmeIssuerException;
import io.certwright.acme.store.Identifier;
import io.certwright.ca.CsrContents;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.LedgerException;
import io.certwright.ca.Pem;
import io.certwright.ca.Requester;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.SerialNumber;
import io.certwright.testing.TestCa;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// The ACME issuance port over a real [io.certwright.ca.CertificateAuthority] (a [TestCa]), keeping what it
/// issued and revoked in memory, as the server keeps it in its registry: each certificate as the PEM text the
/// registry stores, handed out unparsed.
final class CaBackedIssuer implements AcmeIssuer {

    record Entry(String pem, String requester, String provisioner, Optional<RevocationReason> revoked) {
    }

    private final TestCa ca;
    private final Map<SerialNumber, Entry> issued = new ConcurrentHashMap<>();
    private volatile boolean failing;

    CaBackedIssuer(TestCa ca) {
        this.ca = ca;
    }

    /// Makes every later issuance fail as if the CA were down.
    void failIssuance() {
        failing = true;
    }

    @Override
    public IssuedCertificate issue(CsrContents csr, String provisioner, List<Identifier> identifiers,
            Duration lifetime, Requester requester) throws AcmeIssuerException {
        if (failing) {
            throw new AcmeIssuerException(AcmeIssuerException.Kind.UNAVAILABLE, "the CA is down");
        }
        try {
            IssuedCertificate c = ca.authority().issue(csr.toRequest(Profile.SERVER, Optional.of(lifetime)), requester);
            issued.put(c.serial(), new Entry(Pem.certificate(c.certificate()), requester.actor(),
                    requester.provisioner(), Optional.empty()));
            return c;
        } catch (PolicyException e) {
            throw new AcmeIssuerException(AcmeIssuerException.Kind.REFUSED, String.valueOf(e.getMessage()), e);
        } catch (GeneralSecurityException | LedgerException e) {
            throw new AcmeIssuerException(AcmeIssuerException.Kind.UNAVAILABLE, "the CA failed", e);
        }
    }

    @Override
    public Optional<AcmeCertificate> find(SerialNumber serial) {
        Entry e = issued.get(serial);
        return e == null ? Optional.empty() : Optional.of(AcmeCertificate.stored(serial, e.pem(),
                e.revoked().isPresent(), e.requester(), e.provisioner()));
    }

    @Override
    public synchronized RevocationResult revoke(SerialNumber serial, RevocationReason reason, String actor) {
        Entry e = issued.get(serial);
        if (e == null) {
            return RevocationResult.UNKNOWN;
        }
        if (e.revoked().isPresent()) {
            return RevocationResult.ALREADY_REVOKED;
        }
        issued.put(serial, new Entry(e.pem(), e.requester(), e.provisioner(), Optional.of(reason)));
        return RevocationResult.REVOKED;
    }

    @Override
    public List<X509Certificate> issuingChain(AcmeCertificate leaf) {
        return List.of(ca.intermediate());
    }

    /// How many certificates were issued.
    int issuedCount() {
        return issued.size();
    }

    Optional<RevocationReason> revocationReason(SerialNumber serial) {
        Entry e = issued.get(serial);
        return e == null ? Optional.empty() : e.revoked();
    }

    /// Adds a certificate issued outside ACME (for ARI and revocation tests).
    void remember(IssuedCertificate c, String requester) {
        issued.put(c.serial(), new Entry(Pem.certificate(c.certificate()), requester, "admin-api", Optional.empty()));
    }
}
