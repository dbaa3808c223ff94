package io.certwright.cli;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `certwright inspect` on files and on a live TLS server. The CA here lives in memory, so no key
/// encryption slows the tests down.
class InspectCommandTest {

    static IssuedCertificate server;
    static KeyPair serverKey;
    static IssuedCertificate svid;
    static X509Certificate root;

    @TempDir
    Path work;

    @BeforeAll
    static void issue() throws Exception {
        Clock clock = Clock.systemUTC();
        TrustDomain td = new TrustDomain("example.org");
        CaSpec spec = CaSpec.of(KeyAlgorithm.P256, "Inspect").withTrustDomain(td, true)
                .withPermittedDns(List.of("localhost", "example.com"));
        InMemoryLedger ledger = new InMemoryLedger();
        CaMaterial m = CaBootstrap.create(spec, clock, new SecureRandom(), ledger);
        root = m.root();
        Issuer issuer = new Issuer(m.intermediate(), List.of(),
                JcaSigningKey.of(KeyAlgorithm.P256, m.intermediateKey(), m.intermediate().getPublicKey()), Optional.of(td));
        CertificateAuthority ca = new CertificateAuthority(issuer, List.of(root), CaSettings.defaults(List.of(td)), ledger,
                clock, new SecureRandom());
        serverKey = CryptoProviders.generate(KeyAlgorithm.P256);
        server = ca.issue(new IssuanceRequest(Profile.SERVER, serverKey.getPublic(), Optional.empty(),
                new SubjectNames(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), List.of(), List.of()),
                Optional.of(Duration.ofHours(2))));
        svid = ca.issue(new IssuanceRequest(Profile.SVID, CryptoProviders.generate(KeyAlgorithm.P256).getPublic(),
                Optional.empty(), SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://example.org/ns/a/sa/b")),
                Optional.of(Duration.ofHours(1))));
    }

    @Test
    void inspectShowsEveryCertificateOfAChainFileAndItsOrder() throws Exception {
        Path file = Files.writeString(work.resolve("chain.pem"),
                Pem.certificates(List.of(svid.certificate(), svid.chain().getFirst(), root)));
        Cli.Result r = Cli.run("inspect", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Certificate 1 of 3 (leaf)", "Certificate 2 of 3 (intermediate CA)", "Certificate 3 of 3 (root CA)")
                .contains("SPIFFE ID", "spiffe://example.org/ns/a/sa/b", "ECDSA P-256", "SHA256withECDSA")
                .contains(Text.sha256(svid.certificate()), Text.fingerprint(svid.certificate(), "SHA-1"))
                .contains("Basic Constraints (critical)", "CA:TRUE, pathlen:0", "Key Usage (critical)")
                .contains("Server Authentication", "Client Authentication", "Subject Key Identifier",
                        "Authority Key Identifier", "Name Constraints (critical)", "permitted: DNS:localhost")
                .contains("[1] ", "issued by [2]", "self-signed", "in order: each certificate is issued by the next")
                .containsPattern("valid, (59m|1h)");
    }

    @Test
    void inspectNoticesAChainOutOfOrder() throws Exception {
        Path file = Files.writeString(work.resolve("reversed.pem"),
                Pem.certificates(List.of(root, svid.chain().getFirst(), svid.certificate())));
        Cli.Result r = Cli.run("inspect", file.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("NOT in order", "issued by [1]", "issued by [2]");
    }

    @Test
    void inspectReadsDer() throws Exception {
        Path file = Files.write(work.resolve("cert.der"), server.certificate().getEncoded());
        Cli.Result r = Cli.run("inspect", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Certificate 1 of 1 (leaf)", "DNS:localhost", "IP:127.0.0.1",
                "issuer not in this chain");
    }

    @Test
    void inspectJsonCarriesFingerprintsExtensionsAndChainLinks() throws Exception {
        Path file = Files.writeString(work.resolve("chain.pem"), Pem.certificates(server.fullChain()));
        Cli.Result r = Cli.run("inspect", file.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{")
                .contains("\"sha256\": \"" + Text.sha256(server.certificate()) + "\"")
                .contains("\"type\": \"DNS\"", "\"value\": \"localhost\"", "\"issuedBy\": 1", "\"inOrder\": true")
                .contains("\"name\": \"Extended Key Usage\"", "\"critical\": true");
    }

    @Test
    void inspectFetchesTheChainOfALiveTlsServer() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "test".toCharArray();
        ks.setKeyEntry("server", serverKey.getPrivate(), pw, server.fullChain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        try (SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Cli.Result r = Cli.run("inspect", "127.0.0.1:" + listener.getLocalPort(), "--servername", "localhost");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("TLS server 127.0.0.1:" + listener.getLocalPort(), "Certificate 1 of 2 (leaf)",
                    "DNS:localhost", Text.sha256(server.certificate()), "in order");
            served.join();
        }
    }

    @Test
    void inspectOfAMissingFileFailsWithOneLine() {
        Cli.Result r = Cli.run("inspect", work.resolve("absent.pem").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: no such file or directory: ");
    }

    @Test
    void inspectOfAClosedPortFailsWithOneLine() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Cli.Result r = Cli.run("inspect", "127.0.0.1:" + port);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: cannot fetch the certificates of 127.0.0.1:");
    }
}
