package io.certwright.testing;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.Csrs;
import io.certwright.ca.InMemoryLedger;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Issuer;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/// An in-memory certificate authority for tests: a fresh root and intermediate of one key type, an
/// [InMemoryLedger] that records everything the CA signs (root and intermediate included), and the
/// [CertificateAuthority] that issues under the intermediate, reading time from the given clock.
///
/// ```java
/// MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");
/// TestCa ca = TestCa.builder(KeyAlgorithm.P256).trustDomain("example.org").clock(clock).build();
/// IssuedCertificate svid = ca.issueSvid("spiffe://example.org/api", Duration.ofHours(1));
/// ca.validate(svid);
/// ```
public final class TestCa {

    private final KeyAlgorithm keyAlgorithm;
    private final Optional<TrustDomain> trustDomain;
    private final Clock clock;
    private final InMemoryLedger ledger;
    private final CaMaterial material;
    private final SigningKey intermediateKey;
    private final CertificateAuthority authority;

    private TestCa(Builder b) throws Exception {
        this.keyAlgorithm = b.keyAlgorithm;
        this.trustDomain = b.trustDomain;
        this.clock = b.clock;
        this.ledger = new InMemoryLedger();
        CaSpec spec = CaSpec.of(b.keyAlgorithm, b.name).withPermittedDns(b.permittedDns)
                .withLifetimes(b.rootLifetime, b.intermediateLifetime);
        if (b.trustDomain.isPresent()) {
            spec = spec.withTrustDomain(b.trustDomain.get(), b.constrainToTrustDomain);
        }
        this.material = CaBootstrap.create(spec, clock, new SecureRandom(), ledger);
        this.intermediateKey = JcaSigningKey.of(b.keyAlgorithm, material.intermediateKey(),
                material.intermediate().getPublicKey());
        CaSettings settings = b.settings.apply(CaSettings.defaults(b.trustDomain.map(List::of).orElse(List.of())));
        SigningKey signer = b.signer.apply(intermediateKey);
        Issuer issuer = new Issuer(material.intermediate(), List.of(), signer, b.trustDomain);
        this.authority = new CertificateAuthority(issuer, List.of(material.root()), settings, ledger, clock,
                new SecureRandom());
    }

    /// A builder for a CA with keys of `keyAlgorithm`, no trust domain, default settings and the system clock.
    public static Builder builder(KeyAlgorithm keyAlgorithm) {
        return new Builder(keyAlgorithm);
    }

    /// A CA with keys of `keyAlgorithm`, the optional trust domain (constrained to it) and default settings.
    public static TestCa create(KeyAlgorithm keyAlgorithm, Optional<TrustDomain> trustDomain, Clock clock)
            throws Exception {
        Builder b = builder(keyAlgorithm).clock(clock);
        trustDomain.ifPresent(td -> b.trustDomain(td, true));
        return b.build();
    }

    public KeyAlgorithm keyAlgorithm() {
        return keyAlgorithm;
    }

    public Optional<TrustDomain> trustDomain() {
        return trustDomain;
    }

    public Clock clock() {
        return clock;
    }

    public X509Certificate root() {
        return material.root();
    }

    public X509Certificate intermediate() {
        return material.intermediate();
    }

    /// The intermediate's private key wrapped as a signing key (the real one, even when the CA signs through a
    /// wrapper given to [Builder#signer]).
    public SigningKey intermediateKey() {
        return intermediateKey;
    }

    /// The root's private key.
    public PrivateKey rootKey() {
        return material.rootKey().orElseThrow();
    }

    public CertificateAuthority authority() {
        return authority;
    }

    /// The ledger of this CA; it already holds the root and the intermediate.
    public InMemoryLedger ledger() {
        return ledger;
    }

    /// Issues an SVID for `spiffeId` with a fresh key of this CA's key type.
    public IssuedCertificate issueSvid(String spiffeId, Duration lifetime) throws Exception {
        KeyPair pair = keyPair(keyAlgorithm);
        return authority.issue(new IssuanceRequest(Profile.SVID, pair.getPublic(), Optional.empty(),
                SubjectNames.ofSpiffeId(SpiffeId.parse(spiffeId)), Optional.of(lifetime)));
    }

    /// Issues a server certificate for the DNS names with a fresh key of this CA's key type.
    public IssuedCertificate issueServer(Duration lifetime, String... dnsNames) throws Exception {
        KeyPair pair = keyPair(keyAlgorithm);
        return authority.issue(new IssuanceRequest(Profile.SERVER, pair.getPublic(), Optional.empty(),
                new SubjectNames(List.of(dnsNames), List.of(), List.of(), List.of()), Optional.of(lifetime)));
    }

    /// A fresh key pair.
    public static KeyPair keyPair(KeyAlgorithm algorithm) throws GeneralSecurityException {
        return CryptoProviders.generate(algorithm);
    }

    /// DER of a CSR for `pair`, signed with its private key.
    public static byte[] csr(KeyAlgorithm algorithm, KeyPair pair, SubjectNames names, Optional<String> commonName)
            throws GeneralSecurityException {
        return Csrs.create(JcaSigningKey.of(algorithm, pair.getPrivate(), pair.getPublic()), names, commonName);
    }

    /// DER of a CSR for a SPIFFE ID with a fresh key pair of `algorithm`.
    public static byte[] svidCsr(KeyAlgorithm algorithm, String spiffeId) throws GeneralSecurityException {
        return csr(algorithm, keyPair(algorithm), SubjectNames.ofSpiffeId(SpiffeId.parse(spiffeId)), Optional.empty());
    }

    /// Validates an issued certificate and its chain to this CA's root with the JDK's PKIX validator, at the
    /// clock's current instant, revocation checking off.
    ///
    /// @throws java.security.cert.CertPathValidatorException when the chain does not validate
    public PKIXCertPathValidatorResult validate(IssuedCertificate issued) throws GeneralSecurityException {
        return validate(issued.fullChain());
    }

    /// Validates `chain` (leaf first, root excluded) to this CA's root at the clock's current instant.
    public PKIXCertPathValidatorResult validate(List<X509Certificate> chain) throws GeneralSecurityException {
        return validate(chain, root(), clock);
    }

    /// Validates `chain` (leaf first, root excluded) to `root` at `clock`'s current instant.
    public static PKIXCertPathValidatorResult validate(List<X509Certificate> chain, X509Certificate root, Clock clock)
            throws GeneralSecurityException {
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(new ArrayList<>(chain));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(clock.instant()));
        return (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(path, params);
    }

    @Override
    public String toString() {
        return "TestCa[" + keyAlgorithm + trustDomain.map(td -> ", " + td).orElse("") + "]";
    }

    /// Options of a [TestCa].
    public static final class Builder {
        private final KeyAlgorithm keyAlgorithm;
        private String name = "Test";
        private Optional<TrustDomain> trustDomain = Optional.empty();
        private boolean constrainToTrustDomain;
        private List<String> permittedDns = List.of();
        private Clock clock = Clock.systemUTC();
        private Duration rootLifetime = CaSpec.DEFAULT_ROOT_LIFETIME;
        private Duration intermediateLifetime = CaSpec.DEFAULT_INTERMEDIATE_LIFETIME;
        private UnaryOperator<CaSettings> settings = UnaryOperator.identity();
        private UnaryOperator<SigningKey> signer = UnaryOperator.identity();

        private Builder(KeyAlgorithm keyAlgorithm) {
            this.keyAlgorithm = Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        }

        /// The CA's name, as in its certificates' subjects.
        public Builder name(String caName) {
            this.name = caName;
            return this;
        }

        /// The trust domain, written as a URI name constraint into the intermediate.
        public Builder trustDomain(String td) {
            return trustDomain(TrustDomain.parse(td), true);
        }

        /// The trust domain, with or without a URI name constraint in the intermediate.
        public Builder trustDomain(TrustDomain td, boolean constrain) {
            this.trustDomain = Optional.of(td);
            this.constrainToTrustDomain = constrain;
            return this;
        }

        /// DNS name constraints for the intermediate.
        public Builder permittedDns(String... domains) {
            this.permittedDns = List.of(domains);
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder lifetimes(Duration root, Duration intermediate) {
            this.rootLifetime = root;
            this.intermediateLifetime = intermediate;
            return this;
        }

        /// Adjusts the CA's settings, which start as [CaSettings#defaults] for the trust domain.
        public Builder settings(UnaryOperator<CaSettings> adjust) {
            this.settings = Objects.requireNonNull(adjust, "adjust");
            return this;
        }

        /// Wraps the intermediate's signing key, for instance in one that fails or counts calls.
        public Builder signer(UnaryOperator<SigningKey> wrap) {
            this.signer = Objects.requireNonNull(wrap, "wrap");
            return this;
        }

        public TestCa build() throws Exception {
            return new TestCa(this);
        }
    }
}
