package io.certwright.ca.revocation;

import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.LedgerException;
import io.certwright.ca.Requester;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/// Keeps a delegated OCSP signing certificate for the CA's issuing intermediate fresh.
///
/// Each signer gets a new key, generated here and held only in memory, and a certificate of profile
/// `ocsp-signer` obtained through [CertificateAuthority#issue], so it is checked, linted and recorded in
/// the ledger like every certificate. [#rotateIfNeeded()] replaces the signer once less than the configured
/// fraction of its lifetime remains, or when the CA's active issuer is no longer the signer's issuer; the
/// server calls it on a schedule, and time comes from the injected clock.
///
/// Pass this as the signer supplier of an [OcspResponder.Authority]: the responder reads [#get()] on every
/// request, and a new signer makes every answer it keeps stale at once, so rotation needs no separate
/// invalidation. Thread-safe; readers never block.
public final class OcspSignerRotation implements Supplier<OcspSigner> {

    /// Common name of every OCSP signing certificate.
    public static final String COMMON_NAME = "Certwright OCSP Responder";

    /// How signers are made.
    ///
    /// @param keyAlgorithm key type of each signer (P-256 signs fastest)
    /// @param lifetime requested lifetime of each signer certificate; within the `ocsp-signer` profile's limits
    /// @param renewWhenRemaining rotate once less than this fraction of a signer's lifetime remains, in (0, 1)
    public record Settings(KeyAlgorithm keyAlgorithm, Duration lifetime, double renewWhenRemaining) {

        /// Defaults: P-256, one day, rotated with a third of its lifetime left.
        public static final Settings DEFAULT = new Settings(KeyAlgorithm.P256, Duration.ofDays(1), 1.0 / 3);

        public Settings {
            Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
            Objects.requireNonNull(lifetime, "lifetime");
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("the OCSP signer lifetime must be positive");
            }
            if (!(renewWhenRemaining > 0 && renewWhenRemaining < 1)) {
                throw new IllegalArgumentException("renewWhenRemaining must lie strictly between 0 and 1");
            }
        }
    }

    private final CertificateAuthority ca;
    private final Settings settings;
    private final Clock clock;
    private volatile OcspSigner current;

    private OcspSignerRotation(CertificateAuthority ca, Settings settings, Clock clock, OcspSigner first) {
        this.ca = ca;
        this.settings = settings;
        this.clock = clock;
        this.current = first;
    }

    /// Issues the first signer and returns the rotation holding it.
    ///
    /// @throws PolicyException when the CA refuses the certificate (for example a lifetime outside the
    ///     `ocsp-signer` limits, or an issuer about to expire)
    /// @throws LedgerException when the ledger cannot record it
    /// @throws GeneralSecurityException when key generation or signing fails
    public static OcspSignerRotation start(CertificateAuthority ca, Settings settings, Clock clock)
            throws PolicyException, GeneralSecurityException, LedgerException {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        return new OcspSignerRotation(ca, settings, clock, issue(ca, settings));
    }

    /// The signer to use now.
    public OcspSigner current() {
        return current;
    }

    @Override
    public OcspSigner get() {
        return current;
    }

    /// Whether the current signer should be replaced at `now`: less than the configured fraction of its
    /// lifetime remains, or the CA now issues with another certificate than the signer's issuer.
    public boolean needsRotation(Instant now) {
        X509Certificate cert = current.certificate();
        Instant notBefore = cert.getNotBefore().toInstant();
        Instant notAfter = cert.getNotAfter().toInstant();
        long lifetime = Duration.between(notBefore, notAfter).toSeconds();
        long remaining = Duration.between(now, notAfter).toSeconds();
        return remaining < lifetime * settings.renewWhenRemaining() || !issuedByActiveCa(cert);
    }

    /// Replaces the signer when [#needsRotation] says so.
    ///
    /// @return the new signer; empty when the current one is kept
    /// @throws PolicyException when the CA refuses the new certificate; the current signer stays in use
    /// @throws LedgerException when the ledger cannot record it; the current signer stays in use
    /// @throws GeneralSecurityException when key generation or signing fails; the current signer stays in use
    public synchronized Optional<OcspSigner> rotateIfNeeded()
            throws PolicyException, GeneralSecurityException, LedgerException {
        if (!needsRotation(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(rotate());
    }

    /// Replaces the signer now, for example after its key may have leaked.
    public synchronized OcspSigner rotate() throws PolicyException, GeneralSecurityException, LedgerException {
        OcspSigner next = issue(ca, settings);
        current = next;
        return next;
    }

    private boolean issuedByActiveCa(X509Certificate cert) {
        X509Certificate issuer = ca.issuer().certificate();
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static OcspSigner issue(CertificateAuthority ca, Settings settings)
            throws PolicyException, GeneralSecurityException, LedgerException {
        KeyPair pair = CryptoProviders.generate(settings.keyAlgorithm());
        IssuedCertificate issued = ca.issue(new IssuanceRequest(Profile.OCSP_SIGNER, pair.getPublic(),
                Optional.of(COMMON_NAME), SubjectNames.none(), Optional.of(settings.lifetime())), Requester.SYSTEM);
        return new OcspSigner(issued.certificate(),
                JcaSigningKey.of(settings.keyAlgorithm(), pair.getPrivate(), pair.getPublic()));
    }

    @Override
    public String toString() {
        return "OcspSignerRotation[" + current + "]";
    }
}
