package io.certwright.ca;

import io.certwright.ca.internal.x509.Keys;
import io.certwright.ca.internal.x509.TbsBuilder;
import io.certwright.ca.internal.x509.X509Certificates;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.CertificateTemplate;
import io.certwright.ca.profile.IssuerInfo;
import io.certwright.ca.profile.NameConstraints;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.TrustDomain;
import io.certwright.core.Validity;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/// Creates a new root and issuing intermediate, or adopts an existing root (and intermediate) the user
/// brings. Both certificates go through the same template, lint and ledger path as every leaf.
public final class CaBootstrap {

    private CaBootstrap() {
    }

    /// Generates a root and an intermediate per `spec`.
    public static CaMaterial create(CaSpec spec, Clock clock, SecureRandom random, @Nullable CertificateLedger ledger)
            throws GeneralSecurityException, PolicyException, LedgerException {
        KeyAlgorithm alg = spec.keyAlgorithm();
        KeyPair rootPair = CryptoProviders.generate(alg);
        SigningKey rootSigner = JcaSigningKey.of(alg, rootPair.getPrivate(), rootPair.getPublic());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Validity rootValidity = new Validity(now.minus(CaSettings.DEFAULT_BACKDATE), now.plus(spec.rootLifetime()));
        X500Principal rootName = name(spec.name(), "Root CA");
        byte[] rootKeyId = TbsBuilder.keyIdentifier(rootPair.getPublic());
        IssuerInfo self = new IssuerInfo(rootName, rootKeyId, rootValidity, spec.trustDomain(), alg.signatureAlgorithm());
        CertificateTemplate rootTemplate = new CertificateTemplate(SerialNumber.random(random), self, rootName,
                rootPair.getPublic(), alg.family(), rootValidity, Profile.ROOT, trustDomainName(spec.trustDomain()),
                Optional.empty(), NameConstraints.none(), RevocationUrls.none());
        X509Certificate root = CertificateAuthority.signTemplate(rootTemplate, rootSigner, ledger, clock, Requester.SYSTEM);
        KeyPair intPair = CryptoProviders.generate(alg);
        X509Certificate intermediate = intermediate(spec, root, rootSigner, intPair.getPublic(), clock, random, ledger);
        return new CaMaterial(root, Optional.of(rootPair.getPrivate()), intermediate, intPair.getPrivate());
    }

    /// Adopts an existing CA. Either the root's key is given and a new intermediate is generated under it,
    /// or an intermediate and its key are given and the root's key may stay offline.
    public static CaMaterial adopt(X509Certificate root, Optional<PrivateKey> rootKey,
            Optional<X509Certificate> intermediate, Optional<PrivateKey> intermediateKey, CaSpec spec, Clock clock,
            SecureRandom random, @Nullable CertificateLedger ledger)
            throws CaException, GeneralSecurityException, PolicyException, LedgerException {
        checkCa(root, "root");
        try {
            root.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CaException("the root certificate is not self-signed: " + e.getMessage(), e);
        }
        if (!root.getSubjectX500Principal().equals(root.getIssuerX500Principal())) {
            throw new CaException("the root certificate's issuer differs from its subject");
        }
        if (rootKey.isPresent()) {
            signingKey(root, rootKey.get(), "root");
        }
        if (intermediate.isPresent()) {
            X509Certificate ic = intermediate.get();
            checkCa(ic, "intermediate");
            try {
                ic.verify(root.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new CaException("the intermediate certificate is not signed by the root", e);
            }
            PrivateKey key = intermediateKey.orElseThrow(() -> new CaException("the intermediate's private key is missing"));
            signingKey(ic, key, "intermediate");
            return new CaMaterial(root, rootKey, ic, key);
        }
        PrivateKey rk = rootKey.orElseThrow(() -> new CaException(
                "give either the root's private key, or an intermediate certificate and its key"));
        SigningKey rootSigner = signingKey(root, rk, "root");
        KeyPair intPair = CryptoProviders.generate(spec.keyAlgorithm());
        X509Certificate ic = intermediate(spec, root, rootSigner, intPair.getPublic(), clock, random, ledger);
        return new CaMaterial(root, rootKey, ic, intPair.getPrivate());
    }

    /// A signing key for a CA certificate and its private key, checking that they belong together.
    public static SigningKey signingKey(X509Certificate cert, PrivateKey key, String what) throws CaException {
        KeyAlgorithm alg = Keys.algorithmOf(cert.getPublicKey()).orElseThrow(() -> new CaException(
                "the " + what + " key type " + Keys.describe(cert.getPublicKey()).name() + " is not supported; use "
                        + KeyAlgorithm.names()));
        try {
            return JcaSigningKey.of(alg, key, cert.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CaException("the " + what + " private key does not match its certificate", e);
        }
    }

    private static void checkCa(X509Certificate cert, String what) throws CaException {
        if (cert.getBasicConstraints() < 0) {
            throw new CaException("the " + what + " certificate is not a CA certificate (basicConstraints cA is not true)");
        }
        boolean[] ku = cert.getKeyUsage();
        if (ku != null && !ku[5]) {
            throw new CaException("the " + what + " certificate may not sign certificates (keyCertSign not set)");
        }
    }

    private static X509Certificate intermediate(CaSpec spec, X509Certificate root, SigningKey rootSigner,
            PublicKey intKey, Clock clock, SecureRandom random, @Nullable CertificateLedger ledger)
            throws GeneralSecurityException, PolicyException, LedgerException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Validity rootValidity = new Validity(root.getNotBefore().toInstant(), root.getNotAfter().toInstant());
        Instant notBefore = now.minus(CaSettings.DEFAULT_BACKDATE);
        if (notBefore.isBefore(rootValidity.notBefore())) {
            notBefore = rootValidity.notBefore();
        }
        Instant notAfter = now.plus(spec.intermediateLifetime());
        if (notAfter.isAfter(rootValidity.notAfter())) {
            notAfter = rootValidity.notAfter();
        }
        IssuerInfo rootInfo = new IssuerInfo(root.getSubjectX500Principal(), X509Certificates.subjectKeyIdentifier(root),
                rootValidity, spec.trustDomain(), rootSigner.algorithm().signatureAlgorithm());
        List<TrustDomain> constrained = new ArrayList<>();
        if (spec.constrainToTrustDomain()) {
            spec.trustDomain().ifPresent(constrained::add);
        }
        CertificateTemplate t = new CertificateTemplate(SerialNumber.random(random), rootInfo,
                name(spec.name(), "Intermediate CA"), intKey, spec.keyAlgorithm().family(),
                new Validity(notBefore, notAfter), Profile.INTERMEDIATE, trustDomainName(spec.trustDomain()),
                Optional.of(0), new NameConstraints(spec.permittedDnsDomains(), constrained),
                spec.publicUrls().map(u -> u.forIntermediatesOf(root)).orElseGet(RevocationUrls::none));
        return CertificateAuthority.signTemplate(t, rootSigner, ledger, clock, Requester.SYSTEM);
    }

    private static SubjectNames trustDomainName(Optional<TrustDomain> td) {
        return td.map(t -> SubjectNames.ofSpiffeId(t.id())).orElseGet(SubjectNames::none);
    }

    private static X500Principal name(String caName, String suffix) {
        String escaped = caName.replace("\\", "\\\\").replace(",", "\\,").replace("+", "\\+")
                .replace("\"", "\\\"").replace("<", "\\<").replace(">", "\\>").replace(";", "\\;")
                .replace("=", "\\=");
        return new X500Principal("CN=" + escaped + " " + suffix + ", O=" + escaped);
    }
}
