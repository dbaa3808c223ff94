package io.certwright.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// The TLS scanner against real servers on loopback presenting good and bad chains, and against services
/// that are closed, silent or not TLS at all.
class TlsScannerTest {

    static TestPki.Issued root;
    static TestPki.Issued intermediate;
    static TestPki.Issued valid;

    @BeforeAll
    static void pki() {
        root = TestPki.selfSigned(TestPki.Spec.ca("Scan Test Root"));
        intermediate = TestPki.issue(root, TestPki.Spec.ca("Scan Test Intermediate"));
        valid = TestPki.issue(intermediate, TestPki.Spec.leaf("valid.test", "valid.test").ips("127.0.0.1"));
    }

    private static TlsScanner scanner(List<X509Certificate> roots) throws Exception {
        return new TlsScanner(ScanSettings.defaults().withTimeout(Duration.ofSeconds(5)).withExtraRoots(roots),
                Clock.systemUTC());
    }

    /// A scanner that trusts the test root and makes one attempt per target (no retry), so connections can be
    /// counted.
    private static TlsScanner oneAttempt() throws Exception {
        return new TlsScanner(ScanSettings.defaults().withTimeout(Duration.ofSeconds(5)).withAttempts(1)
                .withExtraRoots(List.of(root.leaf())), Clock.systemUTC());
    }

    private static Finding found(Observation o) {
        assertThat(o).as("observation").isInstanceOf(Finding.class);
        return (Finding) o;
    }

    private static ScanError failed(Observation o) {
        assertThat(o).as("observation").isInstanceOf(ScanError.class);
        return (ScanError) o;
    }

    @Test
    void scanRecordsAValidChainAsTrustedByItsRootWithDetailsOfTheHandshake() throws Exception {
        try (TestServer server = TestServer.tls(valid.withoutLast())) {
            Finding f = found(scanner(List.of(root.leaf())).scan(TlsTarget.of("valid.test", server.port())));
            assertThat(f.chain()).containsExactlyElementsOf(valid.withoutLast().chain());
            assertThat(f.leafSha256()).isEqualTo(Finding.sha256(valid.leaf()));
            assertThat(f.place()).isEqualTo(new Place.Endpoint("valid.test", server.port(),
                    java.util.Optional.of("valid.test"), "127.0.0.1", Starttls.NONE));
            TlsDetails d = f.tls().orElseThrow();
            assertThat(d.protocol()).isEqualTo("TLSv1.3");
            assertThat(d.cipherSuite()).startsWith("TLS_");
            assertThat(d.extraRoots().verdict()).isEqualTo(TrustCheck.Verdict.TRUSTED);
            assertThat(d.extraRoots().detail()).contains("Scan Test Root");
            assertThat(d.jdkTrustStore().verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
            assertThat(d.hostname()).isEqualTo(HostnameMatch.MATCH);
            assertThat(d.ocspStapled()).isFalse();
            assertThat(f.leafKey()).isEqualTo(new KeyDescription("EC", 256, java.util.Optional.of("secp256r1")));
            assertThat(f.signatureAlgorithm()).isEqualTo("SHA256withECDSA");
        }
    }

    @Test
    void scanWithoutExtraRootsDoesNotCheckThemButStillChecksTheJdkTrustStore() throws Exception {
        try (TestServer server = TestServer.tls(valid)) {
            TlsDetails d = found(scanner(List.of()).scan(TlsTarget.of("127.0.0.1", server.port()))).tls().orElseThrow();
            assertThat(d.extraRoots()).isEqualTo(TrustCheck.NOT_CHECKED);
            assertThat(d.jdkTrustStore().verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
            assertThat(d.hostname()).as("127.0.0.1 is among the IP names").isEqualTo(HostnameMatch.MATCH);
        }
    }

    @Test
    void scanRecordsExpiredChainEvenThoughUntrusted() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued expired = TestPki.issue(intermediate, TestPki.Spec.leaf("valid.test", "valid.test")
                .valid(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35))));
        try (TestServer server = TestServer.tls(expired)) {
            Finding f = found(scanner(List.of(root.leaf())).scan(TlsTarget.of("valid.test", server.port())));
            assertThat(f.leaf()).isEqualTo(expired.leaf());
            TrustCheck t = f.tls().orElseThrow().extraRoots();
            assertThat(t.verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
            assertThat(t.detail()).startsWith("the leaf expired at");
        }
    }

    @Test
    void scanRecordsASelfSignedCertificateAndSaysSo() throws Exception {
        TestPki.Issued self = TestPki.selfSigned(TestPki.Spec.leaf("valid.test", "valid.test"));
        try (TestServer server = TestServer.tls(self)) {
            Finding f = found(scanner(List.of(root.leaf())).scan(TlsTarget.of("valid.test", server.port())));
            assertThat(f.chain()).containsExactly(self.leaf());
            assertThat(f.tls().orElseThrow().extraRoots().detail()).contains("self-signed");
            assertThat(f.tls().orElseThrow().jdkTrustStore().detail()).contains("self-signed");
        }
    }

    @Test
    void scanRecordsAnIncompleteChainAsUntrustedNamingTheMissingIssuer() throws Exception {
        TestPki.Issued leafOnly = new TestPki.Issued(valid.key(), List.of(valid.leaf()));
        try (TestServer server = TestServer.tls(leafOnly)) {
            Finding f = found(scanner(List.of(root.leaf())).scan(TlsTarget.of("valid.test", server.port())));
            assertThat(f.chain()).hasSize(1);
            TrustCheck t = f.tls().orElseThrow().extraRoots();
            assertThat(t.verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
            assertThat(t.detail()).contains("incomplete chain", "Scan Test Intermediate");
        }
    }

    @Test
    void scanCapturesAnRsa1024CertificateAndReportsItsSize() throws Exception {
        TestPki.Issued weak = TestPki.issue(root, TestPki.Spec.leaf("valid.test", "valid.test")
                .key(TestPki.rsa(1024)).signedWith("SHA256withRSA"));
        try (TestServer server = TestServer.tls(weak)) {
            Finding f = found(scanner(List.of(root.leaf())).scan(TlsTarget.of("valid.test", server.port())));
            assertThat(f.leafKey().algorithm()).isEqualTo("RSA");
            assertThat(f.leafKey().bits()).isEqualTo(1024);
        }
    }

    @Test
    void scanCapturesASha1SignedChainThatAJdkClientWouldRefuse() throws Exception {
        TestPki.Issued rsaRoot = TestPki.selfSigned(TestPki.Spec.ca("SHA-1 Root").key(TestPki.rsa(2048))
                .signedWith("SHA256withRSA"));
        TestPki.Issued sha1 = TestPki.issue(rsaRoot, TestPki.Spec.leaf("valid.test", "valid.test")
                .key(TestPki.rsa(2048)).signedWith("SHA1withRSA"));
        try (TestServer server = TestServer.tls(sha1)) {
            Finding f = found(scanner(List.of(rsaRoot.leaf())).scan(TlsTarget.of("valid.test", server.port())));
            assertThat(f.leaf()).isEqualTo(sha1.leaf());
            assertThat(f.signatureAlgorithm()).isEqualTo("SHA1withRSA");
            // The JDK disables SHA-1 only in chains to its own CAs, so a private root still validates it;
            // flagging SHA-1 is the compliance report's job, from signatureAlgorithm().
            assertThat(f.tls().orElseThrow().extraRoots().verdict()).isEqualTo(TrustCheck.Verdict.TRUSTED);
        }
    }

    @Test
    void scanSendsTheHostNameAsSniAndSeesTheCertificateForThatName() throws Exception {
        TestPki.Issued fallback = TestPki.issue(intermediate, TestPki.Spec.leaf("default", "default.test"));
        TestPki.Issued other = TestPki.issue(intermediate, TestPki.Spec.leaf("other.test", "other.test"));
        try (TestServer server = TestServer.tlsBySni(Map.of("", fallback, "valid.test", valid, "other.test", other))) {
            TlsScanner scanner = scanner(List.of(root.leaf()));
            int port = server.port();
            assertThat(found(scanner.scan(TlsTarget.of("valid.test", port))).leaf()).isEqualTo(valid.leaf());
            assertThat(found(scanner.scan(TlsTarget.of("other.test", port))).leaf()).isEqualTo(other.leaf());
            Finding byIp = found(scanner.scan(TlsTarget.of("127.0.0.1", port)));
            assertThat(byIp.leaf()).as("no SNI for an IP address").isEqualTo(fallback.leaf());
            assertThat(byIp.tls().orElseThrow().hostname()).isEqualTo(HostnameMatch.MISMATCH);
            Finding overridden = found(scanner.scan(TlsTarget.of("127.0.0.1", port).withServerName("other.test")));
            assertThat(overridden.leaf()).isEqualTo(other.leaf());
            assertThat(overridden.tls().orElseThrow().hostname()).isEqualTo(HostnameMatch.MATCH);
            assertThat(((Place.Endpoint) overridden.place()).serverName()).contains("other.test");
        }
    }

    @Test
    void aScanCostsOneConnectionPerEndpoint() throws Exception {
        try (TestServer server = TestServer.tls(valid)) {
            found(scanner(List.of(root.leaf())).scan(TlsTarget.of("valid.test", server.port())));
            assertThat(server.connections()).as("no fallback and no retry for a server that answers").isEqualTo(1);
        }
    }

    @Test
    void aServerThatAcceptsOnlyX25519IsScannedWithTheJdkDefaultGroups() throws Exception {
        try (TestServer server = TestServer.tls(valid).onlyGroups("x25519")) {
            TlsScanner scanner = new TlsScanner(ScanSettings.defaults().withAttempts(1)
                    .withExtraRoots(List.of(root.leaf())), Clock.systemUTC());
            Finding f = found(scanner.scan(TlsTarget.of("valid.test", server.port())));
            assertThat(f.leaf()).isEqualTo(valid.leaf());
            assertThat(f.tls().orElseThrow().extraRoots().trusted()).isTrue();
            assertThat(server.connections()).as("the ECDHE-only offer, then the defaults").isEqualTo(2);
        }
    }

    @Test
    void aServerThatAcceptsOnlyFiniteFieldGroupsIsScannedWithTheJdkDefaultGroups() throws Exception {
        try (TestServer server = TestServer.tls(valid).onlyGroups("ffdhe2048")) {
            Finding f = found(oneAttempt().scan(TlsTarget.of("valid.test", server.port())));
            assertThat(f.tls().orElseThrow().protocol()).isEqualTo("TLSv1.3");
            assertThat(f.tls().orElseThrow().extraRoots().trusted()).isTrue();
            assertThat(server.connections()).as("the ECDHE-only offer, then the defaults").isEqualTo(2);
        }
    }

    @Test
    void aServerThatAcceptsOnlySecp384r1AsksForThatShareInTheSameConnection() throws Exception {
        try (TestServer server = TestServer.tls(valid).onlyGroups("secp384r1")) {
            Finding f = found(oneAttempt().scan(TlsTarget.of("valid.test", server.port())));
            assertThat(f.tls().orElseThrow().protocol()).isEqualTo("TLSv1.3");
            assertThat(f.tls().orElseThrow().extraRoots().trusted()).isTrue();
            assertThat(server.connections()).as("a HelloRetryRequest, no second connection").isEqualTo(1);
        }
    }

    @Test
    void aServerThatSpeaksOnlyTls12IsScannedInOneConnection() throws Exception {
        try (TestServer server = TestServer.tls(valid).onlyProtocols("TLSv1.2")) {
            Finding f = found(oneAttempt().scan(TlsTarget.of("valid.test", server.port())));
            TlsDetails d = f.tls().orElseThrow();
            assertThat(f.chain()).containsExactlyElementsOf(valid.chain());
            assertThat(d.protocol()).isEqualTo("TLSv1.2");
            assertThat(d.cipherSuite()).startsWith("TLS_ECDHE_ECDSA_WITH_");
            assertThat(d.extraRoots().trusted()).isTrue();
            assertThat(d.hostname()).isEqualTo(HostnameMatch.MATCH);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void aTls12ServerWithAnRsaCertificateAndOnlySecp384r1IsScannedInOneConnection() throws Exception {
        TestPki.Issued rsa = TestPki.issue(intermediate, TestPki.Spec.leaf("valid.test", "valid.test")
                .key(TestPki.rsa(2048)));
        try (TestServer server = TestServer.tls(rsa).onlyProtocols("TLSv1.2").onlyGroups("secp384r1")) {
            Finding f = found(oneAttempt().scan(TlsTarget.of("valid.test", server.port())));
            TlsDetails d = f.tls().orElseThrow();
            assertThat(d.protocol()).isEqualTo("TLSv1.2");
            assertThat(d.cipherSuite()).startsWith("TLS_ECDHE_RSA_WITH_");
            assertThat(f.leafKey()).isEqualTo(new KeyDescription("RSA", 2048, java.util.Optional.empty()));
            assertThat(d.extraRoots().trusted()).isTrue();
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void theClientsLastFlightOfATls13HandshakeLeavesInOneWrite() throws Exception {
        try (TestServer server = TestServer.tls(valid); Relay relay = new Relay(server.port())) {
            found(scanner(List.of(root.leaf())).scan(TlsTarget.of("valid.test", relay.port())));
            List<List<Integer>> reads = relay.clientRecordTypes();
            // The handshake record with the ClientHello; then the compatibility change_cipher_spec and the
            // encrypted Finished together, as JSSE flushes them; nothing after (no close_notify).
            assertThat(reads).containsExactly(List.of(22), List.of(20, 23));
        }
    }

    @Test
    void aFirstAttemptOffersTheEllipticCurveGroupsWithP256First() {
        assertThat(TlsScanner.ecdheGroups(new String[] {"x25519", "secp256r1", "secp384r1", "secp521r1", "x448",
                "ffdhe2048"})).containsExactly("secp256r1", "secp384r1", "secp521r1");
        assertThat(TlsScanner.ecdheGroups(new String[] {"secp384r1", "x25519", "secp256r1"}))
                .containsExactly("secp256r1", "secp384r1");
        assertThat(TlsScanner.ecdheGroups(new String[] {"x25519", "ffdhe2048"})).as("no curve: the defaults").isNull();
        assertThat(TlsScanner.ecdheGroups(new String[] {"secp256r1"})).as("nothing to leave out").isNull();
        assertThat(TlsScanner.ecdheGroups(null)).isNull();
    }

    @Test
    void scanReportsAHostnameMismatch() throws Exception {
        try (TestServer server = TestServer.tls(valid)) {
            Finding f = found(scanner(List.of(root.leaf())).scan(TlsTarget.of("other.test", server.port())));
            assertThat(f.tls().orElseThrow().hostname()).isEqualTo(HostnameMatch.MISMATCH);
        }
    }

    @Test
    void aClosedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ScanError e = failed(scanner(List.of()).scan(TlsTarget.of("127.0.0.1", port)));
        assertThat(e.kind()).isEqualTo(ErrorKind.REFUSED);
        assertThat(e.target()).isEqualTo("127.0.0.1:" + port);
    }

    @Test
    void anUnknownHostIsUnresolved() throws Exception {
        ScanError e = failed(scanner(List.of()).scan(TlsTarget.of("nowhere.invalid", 443)));
        assertThat(e.kind()).isEqualTo(ErrorKind.UNRESOLVED);
    }

    @Test
    void aServiceThatIsNotTlsIsRecordedAsSuch() throws Exception {
        try (TestServer server = TestServer.plain(TestServer.Mode.GARBAGE)) {
            ScanError e = failed(scanner(List.of()).scan(TlsTarget.of("127.0.0.1", server.port())));
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_TLS);
        }
    }

    @Test
    void aServerThatHangsMidHandshakeHitsTheTimeout() throws Exception {
        try (TestServer server = TestServer.plain(TestServer.Mode.SILENT)) {
            TlsScanner scanner = new TlsScanner(ScanSettings.defaults().withTimeout(Duration.ofMillis(300)),
                    Clock.systemUTC());
            ScanError e = failed(scanner.scan(TlsTarget.of("127.0.0.1", server.port())));
            assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(e.message()).contains("300 ms");
        }
    }

    @Test
    void aConnectionThatIsNeverAcceptedHitsTheTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                // Fill the listener's accept queue: past it the kernel drops further SYNs, so a connect hangs.
                boolean hangs = false;
                for (int i = 0; i < 16 && !hangs; i++) {
                    Socket s = new Socket();
                    queued.add(s);
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                    } catch (SocketTimeoutException e) {
                        hangs = true;
                    }
                }
                assumeTrue(hangs, "this kernel refuses rather than drops connections past a full accept queue");
                TlsScanner scanner = new TlsScanner(ScanSettings.defaults().withTimeout(Duration.ofMillis(300))
                        .withAttempts(1), Clock.systemUTC());
                ScanError e = failed(scanner.scan(TlsTarget.of("127.0.0.1", full.getLocalPort())));
                assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                assertThat(e.message()).contains("300 ms");
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aChainLongerThanTheJdkAcceptsIsAMalformedCertificateError() throws Exception {
        TestPki.Issued chain = root;
        for (int i = 0; i < 11; i++) {
            chain = TestPki.issue(chain, TestPki.Spec.ca("Level " + i));
        }
        TestPki.Issued leaf = TestPki.issue(chain, TestPki.Spec.leaf("valid.test", "valid.test"));
        try (TestServer server = TestServer.tls(leaf)) {
            ScanError e = failed(scanner(List.of()).scan(TlsTarget.of("valid.test", server.port())));
            assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_CERTIFICATE);
            assertThat(e.message()).contains("chain length");
        }
    }

    @Test
    void smtpStarttlsReachesTheCertificate() throws Exception {
        try (TestServer server = TestServer.of(TestServer.Mode.SMTP_STARTTLS, valid)) {
            Finding f = found(scanner(List.of(root.leaf())).scan(
                    TlsTarget.of("valid.test", server.port()).withStarttls(Starttls.SMTP)));
            assertThat(f.leaf()).isEqualTo(valid.leaf());
            assertThat(((Place.Endpoint) f.place()).starttls()).isEqualTo(Starttls.SMTP);
            assertThat(f.tls().orElseThrow().extraRoots().trusted()).isTrue();
        }
    }

    @Test
    void smtpWithoutStarttlsIsAStarttlsError() throws Exception {
        try (TestServer server = TestServer.plain(TestServer.Mode.SMTP_WITHOUT_STARTTLS)) {
            ScanError e = failed(scanner(List.of()).scan(
                    TlsTarget.of("127.0.0.1", server.port()).withStarttls(Starttls.SMTP)));
            assertThat(e.kind()).isEqualTo(ErrorKind.STARTTLS_FAILED);
            assertThat(e.message()).contains("does not offer STARTTLS");
            assertThat(e.target()).isEqualTo("smtp://127.0.0.1:" + server.port());
        }
    }

    @Test
    void postgresSslRequestReachesTheCertificate() throws Exception {
        try (TestServer server = TestServer.of(TestServer.Mode.POSTGRES_STARTTLS, valid)) {
            Finding f = found(scanner(List.of(root.leaf())).scan(
                    TlsTarget.of("valid.test", server.port()).withStarttls(Starttls.POSTGRES)));
            assertThat(f.leaf()).isEqualTo(valid.leaf());
        }
    }

    @Test
    void postgresWithoutSslIsAStarttlsError() throws Exception {
        try (TestServer server = TestServer.plain(TestServer.Mode.POSTGRES_NO_SSL)) {
            ScanError e = failed(scanner(List.of()).scan(
                    TlsTarget.of("127.0.0.1", server.port()).withStarttls(Starttls.POSTGRES)));
            assertThat(e.kind()).isEqualTo(ErrorKind.STARTTLS_FAILED);
        }
    }

    @Test
    void aScanOfGoodAndBadTargetsRecordsEveryOneInOrderAndGoesOn() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (TestServer good = TestServer.tls(valid);
             TestServer garbage = TestServer.plain(TestServer.Mode.GARBAGE);
             TestServer silent = TestServer.plain(TestServer.Mode.SILENT)) {
            Targets.Parsed parsed = Targets.parse(List.of("valid.test:" + good.port(), "127.0.0.1:" + closed,
                    "bad host!", "127.0.0.1:" + garbage.port(), "127.0.0.1:" + silent.port(),
                    "localhost:" + good.port()), List.of(), Instant.now());
            assertThat(parsed.errors()).singleElement().extracting(ScanError::kind).isEqualTo(ErrorKind.INVALID_TARGET);
            TlsScanner scanner = new TlsScanner(ScanSettings.defaults().withTimeout(Duration.ofMillis(500))
                    .withConcurrency(2), Clock.systemUTC());
            List<Observation> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            ScanReport report = scanner.scan(parsed.targets(), seen::add);
            assertThat(seen).hasSize(5);
            assertThat(report.findings()).extracting(f -> ((Place.Endpoint) f.place()).host())
                    .containsExactly("valid.test", "localhost");
            assertThat(report.errors()).extracting(ScanError::kind)
                    .containsExactly(ErrorKind.REFUSED, ErrorKind.NOT_TLS, ErrorKind.TIMEOUT);
        }
    }

    /// A TCP relay on loopback to a server's port, for one connection, that records what the client sent as
    /// it arrived: the TLS record types of each read.
    private static final class Relay implements AutoCloseable {

        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final List<byte[]> fromClient = new CopyOnWriteArrayList<>();
        private final CountDownLatch clientDone = new CountDownLatch(1);

        Relay(int serverPort) throws IOException {
            Thread.ofVirtual().start(() -> {
                try (Socket client = listener.accept();
                     Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
                    Thread back = Thread.ofVirtual().start(() -> pump(server, client, null));
                    pump(client, server, fromClient);
                    clientDone.countDown();
                    back.join();
                } catch (IOException | InterruptedException e) {
                    clientDone.countDown();
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void pump(Socket from, Socket to, @Nullable List<byte[]> record) {
            byte[] buf = new byte[64 * 1024];
            try {
                for (int n = from.getInputStream().read(buf); n >= 0; n = from.getInputStream().read(buf)) {
                    if (record != null) {
                        record.add(Arrays.copyOf(buf, n));
                    }
                    to.getOutputStream().write(buf, 0, n);
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // either side went away: the relay is done
            }
        }

        /// The record types of each read of the client's bytes, once the client has closed.
        List<List<Integer>> clientRecordTypes() throws InterruptedException {
            assertThat(clientDone.await(10, TimeUnit.SECONDS)).as("the client closed").isTrue();
            List<List<Integer>> reads = new ArrayList<>();
            for (byte[] chunk : fromClient) {
                List<Integer> types = new ArrayList<>();
                int at = 0;
                while (at + 5 <= chunk.length) {
                    types.add(chunk[at] & 0xff);
                    at += 5 + ((chunk[at + 3] & 0xff) << 8 | (chunk[at + 4] & 0xff));
                }
                assertThat(at).as("whole records in each read").isEqualTo(chunk.length);
                reads.add(types);
            }
            return reads;
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
