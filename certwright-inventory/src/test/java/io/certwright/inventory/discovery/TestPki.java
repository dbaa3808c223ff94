package io.certwright.inventory.discovery;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/// Certificates for the discovery tests, including the kinds a CA must never issue (RSA-1024, SHA-1,
/// expired), made with Bouncy Castle.
final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    /// A key with its certificate chain (leaf first).
    record Issued(KeyPair key, List<X509Certificate> chain) {
        X509Certificate leaf() {
            return chain.getFirst();
        }

        PrivateKey privateKey() {
            return key.getPrivate();
        }

        /// This chain without its last certificate.
        Issued withoutLast() {
            return new Issued(key, chain.subList(0, chain.size() - 1));
        }
    }

    /// Options for one certificate.
    ///
    /// @param permittedDns DNS subtrees for a name constraints extension (none when empty)
    /// @param requireExplicitPolicy whether to add a policy constraints extension requiring an explicit policy
    record Spec(String cn, List<String> dns, List<String> ips, KeyPair key, String signatureAlgorithm,
            Instant notBefore, Instant notAfter, boolean ca, List<String> permittedDns, boolean requireExplicitPolicy) {

        static Spec leaf(String cn, String... dns) {
            Instant now = Instant.now();
            return new Spec(cn, List.of(dns), List.of(), ec(), "SHA256withECDSA", now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(90)), false, List.of(), false);
        }

        static Spec ca(String cn) {
            Instant now = Instant.now();
            return new Spec(cn, List.of(), List.of(), ec(), "SHA256withECDSA", now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(3650)), true, List.of(), false);
        }

        Spec key(KeyPair k) {
            return new Spec(cn, dns, ips, k, signatureAlgorithm, notBefore, notAfter, ca, permittedDns,
                    requireExplicitPolicy);
        }

        Spec signedWith(String alg) {
            return new Spec(cn, dns, ips, key, alg, notBefore, notAfter, ca, permittedDns, requireExplicitPolicy);
        }

        Spec valid(Instant from, Instant to) {
            return new Spec(cn, dns, ips, key, signatureAlgorithm, from, to, ca, permittedDns, requireExplicitPolicy);
        }

        Spec permitting(String... subtrees) {
            return new Spec(cn, dns, ips, key, signatureAlgorithm, notBefore, notAfter, ca, List.of(subtrees),
                    requireExplicitPolicy);
        }

        Spec requiringExplicitPolicy() {
            return new Spec(cn, dns, ips, key, signatureAlgorithm, notBefore, notAfter, ca, permittedDns, true);
        }

        Spec ips(String... addresses) {
            return new Spec(cn, dns, List.of(addresses), key, signatureAlgorithm, notBefore, notAfter, ca,
                    permittedDns, requireExplicitPolicy);
        }
    }

    private TestPki() {
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /// A self-signed certificate.
    static Issued selfSigned(Spec spec) {
        return new Issued(spec.key(), List.of(sign(spec, new X500Name("CN=" + spec.cn()), spec.key().getPrivate(),
                spec.signatureAlgorithm())));
    }

    /// A certificate of `spec` issued by `issuer` (whose chain is appended).
    static Issued issue(Issued issuer, Spec spec) {
        String alg = spec.signatureAlgorithm();
        if (issuer.privateKey().getAlgorithm().equals("RSA") && alg.endsWith("ECDSA")) {
            alg = "SHA256withRSA";
        } else if (issuer.privateKey().getAlgorithm().equals("EC") && alg.endsWith("RSA")) {
            alg = "SHA256withECDSA";
        }
        X500Name issuerName = X500Name.getInstance(issuer.leaf().getSubjectX500Principal().getEncoded());
        X509Certificate cert = sign(spec, issuerName, issuer.privateKey(), alg);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(issuer.chain());
        return new Issued(spec.key(), chain);
    }

    private static X509Certificate sign(Spec spec, X500Name issuer, PrivateKey signer, String alg) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(spec.notBefore()), Date.from(spec.notAfter()), new X500Name("CN=" + spec.cn()),
                    spec.key().getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.ca()));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(spec.ca()
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            List<GeneralName> names = new ArrayList<>();
            spec.dns().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            for (String ip : spec.ips()) {
                names.add(new GeneralName(GeneralName.iPAddress,
                        new org.bouncycastle.asn1.DEROctetString(InetAddress.ofLiteral(ip).getAddress())));
            }
            if (!spec.permittedDns().isEmpty()) {
                b.addExtension(Extension.nameConstraints, true, new NameConstraints(spec.permittedDns().stream()
                        .map(d -> new GeneralSubtree(new GeneralName(GeneralName.dNSName, d)))
                        .toArray(GeneralSubtree[]::new), null));
            }
            if (spec.requireExplicitPolicy()) {
                b.addExtension(Extension.policyConstraints, true, new PolicyConstraints(BigInteger.ZERO, null));
            }
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(alg).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
