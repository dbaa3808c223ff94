package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.InMemoryLedger;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Issuer;
import io.certwright.ca.Pem;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/// Certificates from every key type are accepted by the real `openssl verify` binary and by the JDK's
/// PKIX validator; ML-DSA chains, which Debian's openssl 3.0 cannot read, by the JDK and Bouncy Castle.
class OpensslInteropTest {

    private static final TrustDomain TD = new TrustDomain("example.org");
    private static final SpiffeId SVID_ID = SpiffeId.parse("spiffe://example.org/ns/pay/sa/api");

    @TempDir
    Path dir;

    @BeforeAll
    static void opensslIsInstalled() throws Exception {
        Result r = run(List.of("openssl", "version"));
        assertThat(r.exit()).as("openssl must be installed for these tests (.ci/run installs it)").isZero();
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    record Ca(CaMaterial material, CertificateAuthority authority) {
    }

    static Ca newCa(KeyAlgorithm alg, List<String> permittedDns) throws Exception {
        CaSpec spec = CaSpec.of(alg, "Interop").withTrustDomain(TD, true).withPermittedDns(permittedDns);
        Clock clock = Clock.systemUTC();
        InMemoryLedger ledger = new InMemoryLedger();
        CaMaterial m = CaBootstrap.create(spec, clock, new SecureRandom(), ledger);
        Issuer issuer = new Issuer(m.intermediate(), List.of(),
                JcaSigningKey.of(alg, m.intermediateKey(), m.intermediate().getPublicKey()), Optional.of(TD));
        return new Ca(m, new CertificateAuthority(issuer, List.of(m.root()), CaSettings.defaults(List.of(TD)), ledger,
                clock, new SecureRandom()));
    }

    static IssuedCertificate issue(Ca ca, KeyAlgorithm alg, Profile profile, SubjectNames names) throws Exception {
        return ca.authority().issue(new IssuanceRequest(profile, CryptoProviders.generate(alg).getPublic(),
                Optional.empty(), names, Optional.of(Duration.ofHours(1))));
    }

    static SubjectNames server(String dns) throws Exception {
        return new SubjectNames(List.of(dns), List.of(InetAddress.getByName("10.0.0.5")), List.of(), List.of());
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private Result opensslVerify(Ca ca, IssuedCertificate leaf, String purpose) throws Exception {
        Path root = write("root.pem", Pem.certificate(ca.material().root()));
        Path untrusted = write("intermediate.pem", Pem.certificates(leaf.chain()));
        Path cert = write("leaf.pem", Pem.certificate(leaf.certificate()));
        return run(List.of("openssl", "verify", "-x509_strict", "-purpose", purpose, "-CAfile", root.toString(),
                "-untrusted", untrusted.toString(), cert.toString()));
    }

    static void pkixValidate(X509Certificate root, List<X509Certificate> chain, java.security.Provider... provider)
            throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator v = provider.length == 0 ? CertPathValidator.getInstance("PKIX")
                : CertPathValidator.getInstance("PKIX", provider[0]);
        v.validate(cf.generateCertPath(chain), params);
    }

    static boolean opensslReads(KeyAlgorithm alg) {
        return alg.family() != KeyAlgorithm.Family.MLDSA;
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void svidChainVerifiesWithOpensslAndJdk(KeyAlgorithm alg) throws Exception {
        Ca ca = newCa(alg, List.of());
        IssuedCertificate svid = issue(ca, alg, Profile.SVID, SubjectNames.ofSpiffeId(SVID_ID));
        pkixValidate(ca.material().root(), svid.fullChain());
        if (opensslReads(alg)) {
            Result r = opensslVerify(ca, svid, "sslclient");
            assertThat(r.output()).contains(": OK");
            assertThat(r.exit()).isZero();
        } else {
            pkixValidate(ca.material().root(), svid.fullChain(), new BouncyCastleProvider());
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void serverChainUnderDnsNameConstraintVerifiesWithOpensslAndJdk(KeyAlgorithm alg) throws Exception {
        Ca ca = newCa(alg, List.of("internal.example"));
        IssuedCertificate cert = issue(ca, alg, Profile.SERVER, server("api.internal.example"));
        pkixValidate(ca.material().root(), cert.fullChain());
        if (opensslReads(alg)) {
            Result r = opensslVerify(ca, cert, "sslserver");
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains(": OK");
        } else {
            pkixValidate(ca.material().root(), cert.fullChain(), new BouncyCastleProvider());
        }
    }

    @Test
    void opensslRejectsAChainUnderAnotherRoot() throws Exception {
        Ca ca = newCa(KeyAlgorithm.P256, List.of());
        Ca other = newCa(KeyAlgorithm.P256, List.of());
        IssuedCertificate svid = issue(ca, KeyAlgorithm.P256, Profile.SVID, SubjectNames.ofSpiffeId(SVID_ID));
        Path root = write("other-root.pem", Pem.certificate(other.material().root()));
        Path untrusted = write("intermediate.pem", Pem.certificates(svid.chain()));
        Path cert = write("leaf.pem", Pem.certificate(svid.certificate()));
        Result r = run(List.of("openssl", "verify", "-CAfile", root.toString(), "-untrusted", untrusted.toString(),
                cert.toString()));
        assertThat(r.exit()).isNotZero();
    }

    @Test
    void opensslShowsTheSvidExtensions() throws Exception {
        Ca ca = newCa(KeyAlgorithm.P256, List.of());
        IssuedCertificate svid = issue(ca, KeyAlgorithm.P256, Profile.SVID, SubjectNames.ofSpiffeId(SVID_ID));
        String text = run(List.of("openssl", "x509", "-noout", "-text", "-in",
                write("svid.pem", Pem.certificate(svid.certificate())).toString())).output();
        assertThat(text)
                .containsPattern("X509v3 Basic Constraints: critical\\s+CA:FALSE")
                .containsPattern("X509v3 Key Usage: critical\\s+Digital Signature\\s")
                .containsPattern("X509v3 Extended Key Usage:\\s+TLS Web Server Authentication, TLS Web Client Authentication")
                .containsPattern("X509v3 Subject Alternative Name: critical\\s+URI:spiffe://example.org/ns/pay/sa/api\\s")
                .contains("X509v3 Subject Key Identifier")
                .contains("X509v3 Authority Key Identifier")
                .contains("Signature Algorithm: ecdsa-with-SHA256");
    }

    @Test
    void opensslShowsServerAndRsaKeyUsage() throws Exception {
        Ca ca = newCa(KeyAlgorithm.RSA2048, List.of());
        IssuedCertificate cert = issue(ca, KeyAlgorithm.RSA2048, Profile.SERVER, server("api.example.net"));
        String text = run(List.of("openssl", "x509", "-noout", "-text", "-in",
                write("server.pem", Pem.certificate(cert.certificate())).toString())).output();
        assertThat(text)
                .containsPattern("X509v3 Key Usage: critical\\s+Digital Signature, Key Encipherment")
                .containsPattern("X509v3 Extended Key Usage:\\s+TLS Web Server Authentication\\s")
                .containsPattern("DNS:api.example.net, IP Address:10.0.0.5")
                .contains("Subject: CN = api.example.net");
    }

    @Test
    void opensslShowsTheIntermediateConstraints() throws Exception {
        Ca ca = newCa(KeyAlgorithm.P384, List.of("internal.example"));
        String text = run(List.of("openssl", "x509", "-noout", "-text", "-in",
                write("int.pem", Pem.certificate(ca.material().intermediate())).toString())).output();
        assertThat(text)
                .containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE, pathlen:0")
                .containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign")
                .containsPattern("X509v3 Name Constraints: critical\\s+Permitted:\\s+DNS:internal.example\\s+URI:example.org")
                .contains("URI:spiffe://example.org");
    }

    @Test
    void caRefusesServerNamesOutsideTheIntermediateNameConstraints() throws Exception {
        // Such a certificate would fail path validation everywhere; the CA refuses it before signing.
        Ca ca = newCa(KeyAlgorithm.P256, List.of("internal.example"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> issue(ca, KeyAlgorithm.P256, Profile.SERVER,
                server("api.elsewhere.example")))
                .hasMessageContaining("san.dns")
                .hasMessageContaining("api.elsewhere.example");
        assertThat(ca.authority().ledger().entries()).hasSize(2);
    }
}
