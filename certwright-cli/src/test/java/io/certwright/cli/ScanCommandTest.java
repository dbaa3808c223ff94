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
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/// `certwright scan` against a real TLS server on loopback, a closed port and files, in each output format.
class ScanCommandTest {

    static IssuedCertificate server;
    static X509Certificate root;
    static SSLServerSocket listener;
    static Thread acceptor;
    static int closedPort;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        Clock clock = Clock.systemUTC();
        CaSpec spec = CaSpec.of(KeyAlgorithm.P256, "Scan");
        InMemoryLedger ledger = new InMemoryLedger();
        CaMaterial m = CaBootstrap.create(spec, clock, new SecureRandom(), ledger);
        root = m.root();
        Issuer issuer = new Issuer(m.intermediate(), List.of(),
                JcaSigningKey.of(KeyAlgorithm.P256, m.intermediateKey(), m.intermediate().getPublicKey()), Optional.empty());
        CertificateAuthority ca = new CertificateAuthority(issuer, List.of(root), CaSettings.defaults(List.of()), ledger,
                clock, new SecureRandom());
        KeyPair key = CryptoProviders.generate(KeyAlgorithm.P256);
        server = ca.issue(new IssuanceRequest(Profile.SERVER, key.getPublic(), Optional.empty(),
                new SubjectNames(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), List.of(), List.of()),
                Optional.of(Duration.ofDays(30))));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "test".toCharArray();
        ks.setKeyEntry("server", key.getPrivate(), pw, server.fullChain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        listener = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    SSLSocket s = (SSLSocket) listener.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.startHandshake();
                            s.getInputStream().read();
                        } catch (IOException e) {
                            // the scanner hangs up after its handshake
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws IOException {
        listener.close();
        acceptor.interrupt();
    }

    private String tlsTarget() {
        return "localhost:" + listener.getLocalPort();
    }

    @Test
    void scanPrintsATableOfCertificatesAndOneOfErrorsAndExitsZero() {
        Cli.Result r = Cli.run("scan", tlsTarget(), "127.0.0.1:" + closedPort, "not a target", "--no-retry");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("PLACE", "EXPIRES", "TRUSTED BY", tlsTarget(), "EC 256 (secp256r1)",
                "SHA256withECDSA", "TLSv1.3", "match", "none")
                .contains("TARGET", "ERROR", "127.0.0.1:" + closedPort, "refused", "not a target", "invalid-target")
                .contains("Scanned 2 endpoints", "1 certificate, 2 errors.");
    }

    @Test
    void scanAsksTheProcessToOfferNoSessionResumption() {
        Cli.Result r = Cli.run("scan", tlsTarget(), "--no-retry");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(System.getProperty("jdk.tls.client.disableExtensions")).contains("psk_key_exchange_modes");
    }

    @Test
    void scanWithRootsSaysTheChainIsTrustedByThem() throws Exception {
        Path roots = Files.writeString(work.resolve("roots.pem"), Pem.certificates(List.of(root)));
        Cli.Result r = Cli.run("scan", tlsTarget(), "--roots", roots.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern(tlsTarget() + ".*TLSv1\\.3\\s+roots\\s+match");
    }

    @Test
    void scanJsonCarriesTheChainTlsDetailsAndErrors() throws Exception {
        Cli.Result r = Cli.run("scan", tlsTarget(), "127.0.0.1:" + closedPort, "--json", "--no-retry");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = ServerClient.JSON.readTree(r.out());
        JsonNode f = json.path("findings").get(0);
        assertThat(f.path("place").path("type").asString()).isEqualTo("endpoint");
        assertThat(f.path("place").path("sni").asString()).isEqualTo("localhost");
        assertThat(f.path("place").path("address").asString()).isEqualTo("127.0.0.1");
        assertThat(f.path("leaf_sha256").asString()).isEqualTo(Text.sha256(server.certificate()).replace(":", "")
                .toLowerCase(java.util.Locale.ROOT));
        assertThat(f.path("chain").size()).isEqualTo(2);
        assertThat(java.util.Base64.getDecoder().decode(f.path("chain").get(0).asString()))
                .isEqualTo(server.certificate().getEncoded());
        assertThat(f.path("tls").path("protocol").asString()).isEqualTo("TLSv1.3");
        assertThat(f.path("tls").path("trust_jdk").path("verdict").asString()).isEqualTo("untrusted");
        assertThat(f.path("tls").path("hostname").asString()).isEqualTo("match");
        assertThat(f.path("key").path("bits").asInt()).isEqualTo(256);
        assertThat(f.path("dns_names").get(0).asString()).isEqualTo("localhost");
        JsonNode e = json.path("errors").get(0);
        assertThat(e.path("kind").asString()).isEqualTo("refused");
        assertThat(e.path("target").asString()).isEqualTo("127.0.0.1:" + closedPort);
    }

    @Test
    void scanCsvHasAHeaderAndOneRowPerCertificateAndPerError() throws Exception {
        Path pem = Files.writeString(work.resolve("server.pem"), Pem.certificates(server.fullChain()));
        Files.writeString(work.resolve("broken.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Cli.Result r = Cli.run("scan", tlsTarget(), "--files", work.toString(), "--csv");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo(String.join(",", ScanOutput.CSV_COLUMNS));
        assertThat(lines).hasSize(4);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("certificate," + tlsTarget() + ",localhost,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("certificate," + pem + ",,,,,,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("error,").contains("malformed-certificate"));
    }

    @Test
    void targetsComeFromAFileToo() throws Exception {
        Path list = Files.writeString(work.resolve("targets.txt"), "# one server\n" + tlsTarget() + "\n");
        Cli.Result r = Cli.run("scan", "--targets-file", list.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(ServerClient.JSON.readTree(r.out()).path("findings").size()).isEqualTo(1);
    }

    @Test
    void scanWithNothingToScanIsAUsageError() {
        Cli.Result r = Cli.run("scan");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: nothing to scan");
    }

    @Test
    void malformedOptionValuesAreUsageErrors() {
        assertThat(Cli.run("scan", "example.com", "--ports", "443,x").exitCode()).isEqualTo(2);
        assertThat(Cli.run("scan", "example.com", "--timeout", "soon").exitCode()).isEqualTo(2);
        assertThat(Cli.run("scan", "example.com", "--concurrency", "0").exitCode()).isEqualTo(2);
        assertThat(Cli.run("scan", "example.com", "--json", "--csv").exitCode()).isEqualTo(2);
    }

    @Test
    void theProgressBarShowsDoneOfTotalAndErrors() {
        assertThat(ScanProgress.line(500, 2000, 3, "endpoints"))
                .isEqualTo("[#######.......................]  500/2000 endpoints, 3 errors");
        assertThat(ScanProgress.line(1, 1, 1, "endpoints")).isEqualTo("[##############################] 1/1 endpoints, 1 error");
    }
}
