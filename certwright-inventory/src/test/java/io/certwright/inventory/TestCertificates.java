package io.certwright.inventory;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/// Certificates for tests, made with Bouncy Castle (test scope only): any names, validity, key and signature
/// algorithm, self-signed or issued by a [TestIssuer].
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static final KeyPair SHARED_EC = ecKey();
    private static final TestIssuer DEFAULT_ISSUER = issuer("CN=Test Issuing CA");

    private TestCertificates() {
    }

    /// A fresh P-256 key pair.
    public static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /// A fresh RSA key pair of `bits`.
    public static KeyPair rsaKey(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /// A self-signed CA that issues test leaves.
    public static TestIssuer issuer(String dn) {
        KeyPair key = ecKey();
        Spec spec = new Spec().subject(dn).key(key).ca().validity(Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2040-01-01T00:00:00Z"));
        X509Certificate cert = build(spec, dn, key.getPrivate(), key.getPublic(), "SHA256withECDSA");
        return new TestIssuer(cert, key);
    }

    /// The issuer [#leaf] uses by default.
    public static TestIssuer defaultIssuer() {
        return DEFAULT_ISSUER;
    }

    /// A new spec for a leaf: P-256 key shared by all default leaves, so set [Spec#key] for distinct keys.
    public static Spec leaf() {
        return new Spec();
    }

    /// A CA certificate and its key.
    ///
    /// @param certificate the CA certificate
    /// @param key its key pair
    public record TestIssuer(X509Certificate certificate, KeyPair key) {
    }

    /// What to put in a certificate.
    public static final class Spec {
        private String subject = "CN=test.example.com";
        private final List<GeneralName> sans = new ArrayList<>();
        private Instant notBefore = Instant.parse("2030-01-01T00:00:00Z");
        private Instant notAfter = Instant.parse("2030-04-01T00:00:00Z");
        private KeyPair key = SHARED_EC;
        private boolean ca;
        private boolean selfSigned;
        private TestIssuer issuer = DEFAULT_ISSUER;
        private String signatureAlgorithm = "SHA256withECDSA";

        public Spec subject(String dn) {
            this.subject = dn;
            return this;
        }

        public Spec dns(String... names) {
            for (String n : names) {
                sans.add(new GeneralName(GeneralName.dNSName, n));
            }
            return this;
        }

        public Spec ip(String address) {
            sans.add(new GeneralName(GeneralName.iPAddress, address));
            return this;
        }

        public Spec uri(String uri) {
            sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
            return this;
        }

        public Spec validity(Instant from, Instant to) {
            this.notBefore = from;
            this.notAfter = to;
            return this;
        }

        public Spec key(KeyPair pair) {
            this.key = pair;
            return this;
        }

        public Spec ca() {
            this.ca = true;
            return this;
        }

        public Spec selfSigned() {
            this.selfSigned = true;
            return this;
        }

        public Spec issuer(TestIssuer by) {
            this.issuer = by;
            return this;
        }

        /// The issuer's signature algorithm (for a self-signed certificate: the one matching its own key).
        public Spec signatureAlgorithm(String algorithm) {
            this.signatureAlgorithm = algorithm;
            return this;
        }

        public X509Certificate build() {
            if (selfSigned) {
                return TestCertificates.build(this, subject, key.getPrivate(), key.getPublic(), signatureAlgorithm);
            }
            return TestCertificates.build(this, issuer.certificate().getSubjectX500Principal().getName(),
                    issuer.key().getPrivate(), issuer.key().getPublic(), signatureAlgorithm);
        }
    }

    private static X509Certificate build(Spec s, String issuerDn, PrivateKey signer, PublicKey issuerKey,
            String algorithm) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuerDn),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(s.notBefore), Date.from(s.notAfter),
                    new X500Name(s.subject), s.key.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(s.key.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(s.ca));
            if (!s.sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(s.sans.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
