package io.certwright.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.testing.TestCa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// What [HttpNodeClient] makes of a server's answers, against a real HTTPS server that answers whatever the
/// test sets: statuses become [NodeException.Kind]s, malformed or oversized answers are
/// [NodeException.Kind#INVALID], and nothing a server sends crashes the client.
class HttpNodeClientTest {

    private static final SpiffeId AGENT = SpiffeId.parse("spiffe://example.org/certwright/agent/node-1");

    private TestCa ca;
    private HttpsServer server;
    private final AtomicReference<Answer> answer = new AtomicReference<>(new Answer(500, "text/plain", new byte[0]));
    private final AtomicReference<String> lastRequest = new AtomicReference<>("");
    private HttpNodeClient client;
    private AgentSvid credentials;

    @SuppressWarnings("ArrayRecordComponent") // a canned answer, never compared
    private record Answer(int status, String contentType, byte[] body) {
    }

    @BeforeEach
    void startServer() throws Exception {
        ca = TestCa.builder(KeyAlgorithm.P256).trustDomain("example.org").build();
        KeyPair serverKey = TestCa.keyPair(KeyAlgorithm.P256);
        IssuedCertificate cert = ca.authority().issue(new IssuanceRequest(Profile.SERVER, serverKey.getPublic(),
                Optional.empty(), new SubjectNames(List.of(), List.of(InetAddress.getLoopbackAddress()), List.of(),
                        List.of()), Optional.of(Duration.ofHours(1))));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKey.getPrivate(), new char[0],
                cert.fullChain().toArray(java.security.cert.X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            lastRequest.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Answer a = answer.get();
            exchange.getResponseHeaders().set("Content-Type", a.contentType());
            exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            exchange.getResponseBody().write(a.body());
            exchange.close();
        });
        server.start();

        KeyPair agentKey = TestCa.keyPair(KeyAlgorithm.P256);
        IssuedCertificate agentCert = ca.authority().issue(new IssuanceRequest(Profile.SVID, agentKey.getPublic(),
                Optional.empty(), SubjectNames.ofSpiffeId(AGENT), Optional.of(Duration.ofHours(1))));
        credentials = new AgentSvid(new AgentIdentity(AGENT, agentCert.fullChain(), List.of(ca.root())),
                agentKey.getPrivate());
        client = new HttpNodeClient(URI.create("https://127.0.0.1:" + server.getAddress().getPort()),
                List.of(ca.root()), () -> Optional.of(credentials));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(int status, String json) {
        answer.set(new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String b64(java.security.cert.X509Certificate c) throws Exception {
        return Base64.getEncoder().encodeToString(c.getEncoded());
    }

    private NodeException.Kind kindOf(ThrowingCall call) {
        try {
            call.run();
        } catch (NodeException e) {
            return e.kind();
        } catch (Exception e) {
            throw new AssertionError("not a NodeException: " + e, e);
        }
        throw new AssertionError("no failure");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void serverErrorsAndRateLimitsAreUnavailableRefusalsAreDeniedBadRequestsInvalid() {
        answer(503, "{}");
        assertThat(kindOf(() -> client.entries())).isEqualTo(NodeException.Kind.UNAVAILABLE);
        answer(429, "{}");
        assertThat(kindOf(() -> client.entries())).isEqualTo(NodeException.Kind.UNAVAILABLE);
        answer(401, "{}");
        assertThat(kindOf(() -> client.attest("cwj_t", new byte[] {1}))).isEqualTo(NodeException.Kind.DENIED);
        answer(403, "{}");
        assertThat(kindOf(() -> client.bundle())).isEqualTo(NodeException.Kind.DENIED);
        answer(404, "{}");
        assertThat(kindOf(() -> client.signJwtSvid("e", List.of("a")))).isEqualTo(NodeException.Kind.INVALID);
    }

    @Test
    void aProblemsTypeAndDetailReachTheMessageWithControlCharactersNeutralized() {
        answer(400, "{\"type\":\"https://certwright.io/problems/malformed-request\",\"title\":\"Malformed request\","
                + "\"status\":400,\"detail\":\"csr: bad\\u001b[31m\\nforged log line\"}");

        assertThatThrownBy(() -> client.renewAgent(new byte[] {1}))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(NodeException.Kind.INVALID))
                .hasMessage("POST /api/v1/node/renew answered 400: malformed-request: csr: bad?[31m?forged log line");
    }

    @Test
    void attestSendsTheTokenAndTheCsrAsSnakeCaseJsonWithoutNeedingCredentials() throws Exception {
        HttpNodeClient anonymous = new HttpNodeClient(URI.create("https://127.0.0.1:" + server.getAddress().getPort()
                + "/prefix"), List.of(ca.root()), Optional::empty);
        answer(201, "{\"spiffe_id\":\"" + AGENT + "\",\"serial\":\"01\",\"chain\":[\""
                + b64(credentials.identity().leaf()) + "\"],\"bundle\":[\"" + b64(ca.root())
                + "\"],\"expires_at\":\"2030-01-01T00:00:00Z\",\"added_later\":true}");

        AgentIdentity id = anonymous.attest("cwj_secret", new byte[] {1, 2, 3});

        assertThat(id.spiffeId()).isEqualTo(AGENT);
        assertThat(id.roots()).containsExactly(ca.root());
        assertThat(lastRequest.get()).isEqualTo("POST /prefix/api/v1/node/attest {\"join_token\":\"cwj_secret\","
                + "\"csr\":\"AQID\"}");
        assertThat(kindOf(() -> anonymous.entries())).isEqualTo(NodeException.Kind.DENIED);
    }

    @Test
    void malformedOrOversizedAnswersAreInvalid() throws Exception {
        for (String body : List.of("not json", "[1,2]", "{}", "{\"spiffe_id\":\"" + AGENT + "\",\"chain\":[]}",
                "{\"spiffe_id\":\"" + AGENT + "\",\"chain\":[\"@@@\"],\"bundle\":[]}",
                "{\"spiffe_id\":\"not a spiffe id\",\"chain\":[\"" + b64(ca.root()) + "\"],\"bundle\":[\""
                        + b64(ca.root()) + "\"]}",
                "{\"spiffe_id\":\"" + AGENT + "\",\"chain\":[\"" + Base64.getEncoder().encodeToString(new byte[] {48, 0})
                        + "\"],\"bundle\":[\"" + b64(ca.root()) + "\"]}")) {
            answer(201, body);
            assertThat(kindOf(() -> client.attest("cwj_t", new byte[] {1}))).as(body)
                    .isEqualTo(NodeException.Kind.INVALID);
        }
        answer.set(new Answer(200, "application/json", new byte[HttpNodeClient.MAX_RESPONSE_BYTES + 1]));
        assertThat(kindOf(() -> client.entries())).isEqualTo(NodeException.Kind.INVALID);
    }

    @Test
    void anEntryTheAgentCannotReadIsSkippedAndANodeGlobParentMeansThisAgent() throws Exception {
        answer(200, "{\"entries\":["
                + "{\"id\":\"ent_1\",\"spiffe_id\":\"spiffe://example.org/api\",\"parent_id\":\"" + AGENT + "\","
                + "\"selectors\":[\"unix:uid:1000\"],\"x509_svid_ttl\":\"1h\",\"jwt_svid_ttl\":\"5m\","
                + "\"dns_names\":[\"api.internal\"],\"admin\":false,\"revision\":3},"
                + "{\"id\":\"ent_2\",\"spiffe_id\":\"spiffe://example.org/bad\",\"parent_id\":\"" + AGENT + "\","
                + "\"selectors\":[\"nocolon\"],\"x509_svid_ttl\":\"1h\",\"jwt_svid_ttl\":\"5m\",\"revision\":1},"
                + "{\"id\":\"ent_3\",\"spiffe_id\":\"spiffe://example.org/web\",\"parent_id\":\"certwright:node:web-*\","
                + "\"selectors\":[\"unix:user:www\"],\"x509_svid_ttl\":\"2h\",\"jwt_svid_ttl\":\"1m\",\"revision\":1},"
                + "{\"id\":\"ent_4\",\"spiffe_id\":\"spiffe://example.org/x\",\"parent_id\":\"" + AGENT + "\","
                + "\"selectors\":[\"unix:uid:1\"],\"x509_svid_ttl\":\"forever\",\"jwt_svid_ttl\":\"5m\",\"revision\":1}"
                + "]}");

        List<RegistrationEntry> entries = client.entries().entries();

        assertThat(entries).extracting(RegistrationEntry::id).containsExactly("ent_1", "ent_3");
        assertThat(entries.getFirst().dnsNames()).containsExactly("api.internal");
        assertThat(entries.getFirst().revision()).isEqualTo(3);
        assertThat(entries.get(1).parentId()).isEqualTo(AGENT);
        assertThat(entries.get(1).x509SvidTtl()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void theBundleKeepsX509AuthoritiesAsCertificatesAndOnlyJwtKeysInTheJwks() throws Exception {
        answer(200, "{\"keys\":[{\"kty\":\"EC\",\"use\":\"x509-svid\",\"x5c\":[\"" + b64(ca.root()) + "\"]},"
                + "{\"kty\":\"EC\",\"use\":\"jwt-svid\",\"kid\":\"k1\",\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\"}],"
                + "\"spiffe_sequence\":7,\"spiffe_refresh_hint\":300}");

        Bundle bundle = client.bundle();

        assertThat(bundle.trustDomain().name()).isEqualTo("example.org");
        assertThat(bundle.x509Authorities()).containsExactly(ca.root());
        assertThat(bundle.sequence()).isEqualTo(7);
        assertThat(bundle.jwksJson()).contains("\"kid\":\"k1\"").doesNotContain("x509-svid");

        answer(200, "{\"keys\":[],\"spiffe_sequence\":\"seven\"}");
        assertThat(kindOf(() -> client.bundle())).isEqualTo(NodeException.Kind.INVALID);
    }

    @Test
    void perItemRefusalsOfABatchAreLeftOutOfTheAnswer() throws Exception {
        answer(200, "{\"svids\":[{\"entry_id\":\"ent_1\",\"spiffe_id\":\"spiffe://example.org/api\",\"serial\":\"01\","
                + "\"chain\":[\"" + b64(credentials.identity().leaf()) + "\"],\"expires_at\":\"2030-01-01T00:00:00Z\"}],"
                + "\"errors\":[{\"entry_id\":\"ent_2\",\"type\":\"forbidden\",\"detail\":\"not delegated\"}]}");

        List<SignedSvid> signed = client.signX509Svids(List.of(new SvidRequest("ent_1", new byte[] {1}),
                new SvidRequest("ent_2", new byte[] {2})));

        assertThat(signed).extracting(SignedSvid::entryId).containsExactly("ent_1");
        assertThat(lastRequest.get()).isEqualTo("POST /api/v1/node/svids {\"csrs\":[{\"entry_id\":\"ent_1\","
                + "\"csr\":\"AQ==\"},{\"entry_id\":\"ent_2\",\"csr\":\"Ag==\"}]}");
    }
}
