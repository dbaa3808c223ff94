package io.certwright.ca;

import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;

/// An in-memory CA for this module's tests (the shared `TestCa` lives in certwright-testing, which
/// depends on this module and so cannot serve its tests).
final class CaFixture {

    final KeyAlgorithm keyAlgorithm;
    final CaMaterial material;
    final CertificateLedger ledger;
    final CertificateAuthority ca;
    /// The intermediate's key as the CA signs with it: counts calls and can be made to fail.
    final CountingSigningKey signer;

    private CaFixture(Options o) throws Exception {
        this.keyAlgorithm = o.keyAlgorithm;
        this.ledger = o.ledger;
        CaSpec spec = CaSpec.of(o.keyAlgorithm, "Fixture").withPermittedDns(o.permittedDns)
                .withLifetimes(CaSpec.DEFAULT_ROOT_LIFETIME, o.intermediateLifetime);
        if (o.trustDomain.isPresent()) {
            spec = spec.withTrustDomain(o.trustDomain.get(), o.constrain);
        }
        this.material = CaBootstrap.create(spec, o.clock, new SecureRandom(), o.ledger);
        SigningKey key = JcaSigningKey.of(o.keyAlgorithm, material.intermediateKey(),
                material.intermediate().getPublicKey());
        this.signer = new CountingSigningKey(key);
        Issuer issuer = new Issuer(material.intermediate(), List.of(), signer, o.trustDomain);
        CaSettings settings = o.settings.apply(CaSettings.defaults(o.trustDomain.map(List::of).orElse(List.of())));
        this.ca = new CertificateAuthority(issuer, List.of(material.root()), settings, o.ledger, o.clock,
                new SecureRandom());
    }

    static Options with(KeyAlgorithm keyAlgorithm) {
        return new Options(keyAlgorithm);
    }

    /// A P-256 CA for `example.org`, constrained to it, on the given clock.
    static CaFixture spiffe(Clock clock) throws Exception {
        return with(KeyAlgorithm.P256).trustDomain("example.org").clock(clock).build();
    }

    X509Certificate root() {
        return material.root();
    }

    X509Certificate intermediate() {
        return material.intermediate();
    }

    IssuedCertificate issue(Profile profile, KeyPair key, SubjectNames names, Optional<Duration> lifetime)
            throws Exception {
        return ca.issue(new IssuanceRequest(profile, key.getPublic(), Optional.empty(), names, lifetime));
    }

    IssuedCertificate svid(KeyPair key, String spiffeId) throws Exception {
        return issue(Profile.SVID, key, SubjectNames.ofSpiffeId(SpiffeId.parse(spiffeId)), Optional.empty());
    }

    static KeyPair keyPair(KeyAlgorithm algorithm) throws GeneralSecurityException {
        return CryptoProviders.generate(algorithm);
    }

    static SubjectNames dns(String... names) {
        return new SubjectNames(List.of(names), List.of(), List.of(), List.of());
    }

    static SubjectNames uris(String... uris) {
        return new SubjectNames(List.of(), List.of(), List.of(uris).stream().map(URI::create).toList(), List.of());
    }

    static byte[] csr(KeyAlgorithm algorithm, KeyPair pair, SubjectNames names) throws GeneralSecurityException {
        return Csrs.create(JcaSigningKey.of(algorithm, pair.getPrivate(), pair.getPublic()), names, Optional.empty());
    }

    PKIXCertPathValidatorResult validate(List<X509Certificate> chain, Clock clock) throws GeneralSecurityException {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(new ArrayList<>(chain));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root(), null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(clock.instant()));
        return (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(path, params);
    }

    /// The raw extension as the certificate encodes it, with its criticality; fails the test when absent.
    static Extension extension(X509Certificate cert, ASN1ObjectIdentifier oid) throws CertificateEncodingException {
        Extension e = Certificate.getInstance(cert.getEncoded()).getTBSCertificate().getExtensions().getExtension(oid);
        if (e == null) {
            throw new AssertionError("certificate has no extension " + oid.getId());
        }
        return e;
    }

    /// Whether the certificate carries the extension at all.
    static boolean hasExtension(X509Certificate cert, ASN1ObjectIdentifier oid) {
        return cert.getExtensionValue(oid.getId()) != null;
    }

    static final class Options {
        private final KeyAlgorithm keyAlgorithm;
        private Optional<TrustDomain> trustDomain = Optional.empty();
        private boolean constrain;
        private List<String> permittedDns = List.of();
        private Clock clock = Clock.systemUTC();
        private Duration intermediateLifetime = CaSpec.DEFAULT_INTERMEDIATE_LIFETIME;
        private UnaryOperator<CaSettings> settings = UnaryOperator.identity();
        private CertificateLedger ledger = new InMemoryLedger();

        private Options(KeyAlgorithm keyAlgorithm) {
            this.keyAlgorithm = keyAlgorithm;
        }

        Options trustDomain(String td) {
            return trustDomain(td, true);
        }

        Options trustDomain(String td, boolean constrainTo) {
            this.trustDomain = Optional.of(new TrustDomain(td));
            this.constrain = constrainTo;
            return this;
        }

        Options permittedDns(String... domains) {
            this.permittedDns = List.of(domains);
            return this;
        }

        Options clock(Clock c) {
            this.clock = c;
            return this;
        }

        Options intermediateLifetime(Duration d) {
            this.intermediateLifetime = d;
            return this;
        }

        Options settings(UnaryOperator<CaSettings> s) {
            this.settings = s;
            return this;
        }

        Options ledger(CertificateLedger l) {
            this.ledger = l;
            return this;
        }

        CaFixture build() throws Exception {
            return new CaFixture(this);
        }
    }
}
