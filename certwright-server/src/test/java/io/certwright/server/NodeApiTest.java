package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.certwright.ca.Csrs;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// The node API and the workload admin API against a real server over HTTPS: node attestation with join
/// tokens, agent SVIDs used as TLS client certificates, entries delegated to agents, batched X509-SVIDs,
/// JWT-SVIDs verified against the published SPIFFE bundle, and bans.
class NodeApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    static TestServer t;
    private static int nodes;

    @BeforeAll
    static void start() throws Exception {
        t = new TestServer(dir.resolve("data"), Map.of("CERTWRIGHT_LIMITS_AUTH_FAILURES_PER_MINUTE", "100000"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    /// An attested agent: its key, its SVID chain and an mTLS client presenting them.
    record Agent(String name, KeyPair key, List<X509Certificate> chain, HttpClient client) {
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    static String quote(String s) {
        return JSON.writeValueAsString(s);
    }

    static String csr(KeyPair key, SubjectNames names) throws Exception {
        return Base64.getEncoder().encodeToString(Csrs.create(JcaSigningKey.of(KeyAlgorithm.P256, key.getPrivate(),
                key.getPublic()), names, Optional.empty()));
    }

    static String csr(KeyPair key) throws Exception {
        return csr(key, new SubjectNames(List.of(), List.of(), List.of(), List.of()));
    }

    static String trustDomain() {
        return t.server.config().trustDomain().name();
    }

    static String newNode() {
        nodes++;
        return "node-" + nodes;
    }

    static String joinToken(String node, String ttl) throws Exception {
        var r = t.post("/api/v1/agents/tokens", t.adminToken, "{\"node\":\"" + node + "\",\"ttl\":\"" + ttl + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("node").asString()).isEqualTo(node);
        assertThat(body.get("expires_at").asString()).isNotEmpty();
        return body.get("token").asString();
    }

    static HttpResponse<String> attest(String token, String csr) throws Exception {
        return t.send("POST", "/api/v1/node/attest", Optional.empty(), Optional.of("application/json"),
                "{\"join_token\":" + quote(token) + ",\"csr\":" + quote(csr) + "}", t.client);
    }

    static List<X509Certificate> certificates(JsonNode array) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(
                    Base64.getDecoder().decode(n.asString()))));
        }
        return out;
    }

    static Agent agent() throws Exception {
        String node = newNode();
        KeyPair key = TestServer.newKey();
        var r = attest(joinToken(node, "1h"), csr(key));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        List<X509Certificate> chain = certificates(json(r).get("chain"));
        return new Agent(node, key, chain, t.client(Optional.of(TestServer.keyStore(key, chain))));
    }

    static String agentId(String node) {
        return "spiffe://" + trustDomain() + "/certwright/agent/" + node;
    }

    static String entry(String parent, String spiffePath, String extra) throws Exception {
        var r = t.post("/api/v1/entries", t.adminToken, "{\"spiffe_id\":\"spiffe://" + trustDomain() + spiffePath
                + "\",\"parent_id\":" + quote(parent) + ",\"selectors\":[\"unix:uid:1000\"]" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asString();
    }

    static HttpResponse<String> node(Agent a, String method, String path, String body) throws Exception {
        return t.send(method, path, Optional.empty(), body.isEmpty() ? Optional.empty() : Optional.of("application/json"),
                body, a.client());
    }

    static List<JsonNode> audit() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        long from = 1;
        while (true) {
            JsonNode page = json(t.get("/api/v1/audit?limit=1000&from=" + from, t.adminToken));
            page.get("entries").forEach(out::add);
            if (page.get("next_from") == null || page.get("next_from").isNull()) {
                return out;
            }
            from = page.get("next_from").asLong();
        }
    }

    static long issuedCount() throws Exception {
        return audit().stream().filter(e -> e.get("action").asString().equals("certificate.issue")).count();
    }

    static void assertProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void attestationWithAJoinTokenGivesAnAgentSvidThatChainsToTheServedRoots() throws Exception {
        String node = newNode();
        var r = attest(joinToken(node, "1h"), csr(TestServer.newKey()));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("spiffe_id").asString()).isEqualTo(agentId(node));
        List<X509Certificate> chain = certificates(body.get("chain"));
        X509Certificate leaf = chain.getFirst();
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> san.get(0) + " " + san.get(1)))
                .containsExactly("6 " + agentId(node));
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()[0]).isTrue();
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        List<X509Certificate> roots = TestServer.certificates(t.get("/roots.pem", "").body());
        assertThat(certificates(body.get("bundle"))).isEqualTo(roots);
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(roots.getFirst(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain),
                params);
        JsonNode agents = json(t.get("/api/v1/agents", t.adminToken)).get("agents");
        assertThat(agents.valueStream().filter(a -> a.get("name").asString().equals(node))).singleElement()
                .satisfies(a -> assertThat(a.get("svid_serial").asString()).isEqualTo(leaf.getSerialNumber().toString(16)));
    }

    @Test
    void aJoinTokenAttestsOnlyOnce() throws Exception {
        String token = joinToken(newNode(), "1h");
        assertThat(attest(token, csr(TestServer.newKey())).statusCode()).isEqualTo(201);
        long issued = issuedCount();

        var again = attest(token, csr(TestServer.newKey()));

        assertProblem(again, 401);
        assertThat(json(again).get("type").asString()).endsWith("/token-used");
        assertThat(issuedCount()).isEqualTo(issued);
        assertThat(audit().stream().filter(e -> e.get("outcome").asString().equals("refused")
                && e.get("details").path("reason").asString().contains("was used before"))).isNotEmpty();
    }

    @Test
    void anExpiredJoinTokenIsRefused() throws Exception {
        String token = joinToken(newNode(), "1m");
        t.clock.advance(Duration.ofMinutes(2));

        var r = attest(token, csr(TestServer.newKey()));

        assertProblem(r, 401);
        assertThat(json(r).get("type").asString()).endsWith("/token-expired");
    }

    @Test
    void anUnknownJoinTokenIsRefusedAndAGarbledRequestDoesNotBurnTheToken() throws Exception {
        assertProblem(attest("cwj_" + "A".repeat(43), csr(TestServer.newKey())), 401);
        String token = joinToken(newNode(), "1h");

        assertProblem(attest(token, Base64.getEncoder().encodeToString("not a csr".getBytes(java.nio.charset.StandardCharsets.US_ASCII))), 400);
        assertProblem(attest(token, "%%% not base64"), 400);

        assertThat(attest(token, csr(TestServer.newKey())).statusCode()).isEqualTo(201);
    }

    @Test
    void renewalOverMutualTlsKeepsTheAgentsIdentity() throws Exception {
        Agent a = agent();
        KeyPair next = TestServer.newKey();

        var r = node(a, "POST", "/api/v1/node/renew", "{\"csr\":" + quote(csr(next)) + "}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        List<X509Certificate> chain = certificates(json(r).get("chain"));
        assertThat(chain.getFirst().getPublicKey()).isEqualTo(next.getPublic());
        assertThat(json(r).get("spiffe_id").asString()).isEqualTo(agentId(a.name()));
        assertThat(chain.getFirst().getSerialNumber()).isNotEqualTo(a.chain().getFirst().getSerialNumber());
    }

    @Test
    void anAgentSeesOnlyTheEntriesDelegatedToIt() throws Exception {
        Agent first = agent();
        Agent second = agent();
        String own = entry(agentId(first.name()), "/ns/a/sa/" + first.name(), ",\"dns_names\":[\"a.example\"]");
        entry(agentId(second.name()), "/ns/b/sa/" + second.name(), "");

        JsonNode entries = json(node(first, "GET", "/api/v1/node/entries", "")).get("entries");

        assertThat(entries.valueStream().map(e -> e.get("id").asString()).toList()).containsExactly(own);
        assertThat(entries).hasSize(1);
        JsonNode e = entries.get(0);
        assertThat(e.get("parent_id").asString()).isEqualTo(agentId(first.name()));
        assertThat(e.get("selectors").get(0).asString()).isEqualTo("unix:uid:1000");
        assertThat(e.get("x509_svid_ttl").asString()).isEqualTo("1h");
        assertThat(e.get("jwt_svid_ttl").asString()).isEqualTo("5m");
        assertThat(e.get("revision").asLong()).isEqualTo(1);
        assertThat(json(node(second, "GET", "/api/v1/node/entries", "")).get("entries").valueStream()
                .map(x -> x.get("id").asString())).doesNotContain(own);
    }

    @Test
    void nodeSelectorEntriesReachEveryAgentWhoseNameMatches() throws Exception {
        Agent a = agent();
        String id = entry("certwright:node:" + a.name(), "/ns/shared/sa/all-" + a.name(), "");

        assertThat(json(node(a, "GET", "/api/v1/node/entries", "")).get("entries").valueStream()
                .map(x -> x.get("id").asString())).contains(id);
    }

    @Test
    void svidsCarryTheEntrysIdentityAndAnotherAgentsEntryIsARefusedItemThatIsAudited() throws Exception {
        Agent a = agent();
        Agent other = agent();
        String mine = entry(agentId(a.name()), "/ns/pay/sa/api-" + a.name(),
                ",\"dns_names\":[\"api.pay.example\"],\"x509_svid_ttl\":\"30m\"");
        String theirs = entry(agentId(other.name()), "/ns/pay/sa/db-" + other.name(), "");
        KeyPair workload = TestServer.newKey();
        String body = "{\"csrs\":[{\"entry_id\":\"" + mine + "\",\"csr\":" + quote(csr(workload,
                new SubjectNames(List.of("evil.example"), List.of(), List.of(), List.of()))) + "},"
                + "{\"entry_id\":\"" + theirs + "\",\"csr\":" + quote(csr(TestServer.newKey())) + "},"
                + "{\"entry_id\":\"" + mine + "\",\"csr\":\"!!!\"}]}";

        var r = node(a, "POST", "/api/v1/node/svids", body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode svids = json(r).get("svids");
        assertThat(svids).hasSize(1);
        X509Certificate leaf = certificates(svids.get(0).get("chain")).getFirst();
        assertThat(leaf.getPublicKey()).isEqualTo(workload.getPublic());
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
                .containsExactlyInAnyOrder("spiffe://" + trustDomain() + "/ns/pay/sa/api-" + a.name(), "api.pay.example");
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isLessThanOrEqualTo(Duration.ofMinutes(31));
        JsonNode errors = json(r).get("errors");
        assertThat(errors.valueStream().map(e -> e.get("entry_id").asString() + " " + e.get("type").asString()))
                .containsExactlyInAnyOrder(theirs + " forbidden", mine + " malformed-request");
        assertThat(audit().stream().filter(e -> e.get("action").asString().equals("svid.issue")
                && e.get("outcome").asString().equals("refused") && e.get("target").asString().equals(theirs)))
                .hasSize(1);
        JsonNode stored = json(t.get("/api/v1/certificates/" + leaf.getSerialNumber().toString(16), t.adminToken));
        assertThat(stored.get("requester").asString()).isEqualTo("agent:" + a.name());
    }

    @Test
    void aLargeBatchIsIssuedWholeAndInRequestOrder() throws Exception {
        Agent a = agent();
        String id = entry(agentId(a.name()), "/ns/batch/sa/" + a.name(), "");
        StringBuilder body = new StringBuilder("{\"csrs\":[");
        for (int i = 0; i < 50; i++) {
            body.append(i == 0 ? "" : ",").append("{\"entry_id\":\"").append(id).append("\",\"csr\":")
                    .append(quote(csr(TestServer.newKey()))).append('}');
        }
        var r = node(a, "POST", "/api/v1/node/svids", body.append("]}").toString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("svids")).hasSize(50);
        assertThat(json(r).get("errors")).isEmpty();
    }

    @Test
    void aJwtSvidVerifiesWithTheKeyOfThePublishedBundle() throws Exception {
        Agent a = agent();
        String id = entry(agentId(a.name()), "/ns/jwt/sa/" + a.name(), ",\"jwt_svid_ttl\":\"2m\"");

        var r = node(a, "POST", "/api/v1/node/jwt-svid", "{\"entry_id\":\"" + id + "\",\"audience\":[\"a\",\"b\"]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(json(r).get("token").asString());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        JWKSet bundle = JWKSet.parse(t.send("GET", "/bundle", Optional.empty(), Optional.empty(), "", t.client).body());
        JWK key = bundle.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).isNotNull();
        assertThat(key.getKeyUse().getValue()).isEqualTo("jwt-svid");
        assertThat(jwt.verify(new ECDSAVerifier((ECKey) key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("spiffe://" + trustDomain() + "/ns/jwt/sa/" + a.name());
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("a", "b");
        assertThat(Duration.between(jwt.getJWTClaimsSet().getIssueTime().toInstant(),
                jwt.getJWTClaimsSet().getExpirationTime().toInstant())).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aJwtSvidNeedsAnAudienceAndAnEntryDelegatedToTheAgent() throws Exception {
        Agent a = agent();
        Agent other = agent();
        String id = entry(agentId(a.name()), "/ns/jwt2/sa/" + a.name(), "");

        assertProblem(node(a, "POST", "/api/v1/node/jwt-svid", "{\"entry_id\":\"" + id + "\",\"audience\":[]}"), 400);
        assertProblem(node(a, "POST", "/api/v1/node/jwt-svid", "{\"entry_id\":\"" + id + "\"}"), 400);
        assertProblem(node(other, "POST", "/api/v1/node/jwt-svid", "{\"entry_id\":\"" + id + "\",\"audience\":[\"x\"]}"),
                403);
    }

    @Test
    void aBannedAgentIsRefusedAndItsSvidAndTheSvidsItObtainedAreRevoked() throws Exception {
        Agent a = agent();
        String id = entry(agentId(a.name()), "/ns/ban/sa/" + a.name(), "");
        var issued = node(a, "POST", "/api/v1/node/svids", "{\"csrs\":[{\"entry_id\":\"" + id + "\",\"csr\":"
                + quote(csr(TestServer.newKey())) + "}]}");
        String workloadSerial = json(issued).get("svids").get(0).get("serial").asString();

        var ban = t.post("/api/v1/agents/" + a.name() + "/ban", t.adminToken, "{}");

        assertThat(ban.statusCode()).as(ban.body()).isEqualTo(200);
        assertProblem(node(a, "GET", "/api/v1/node/entries", ""), 403);
        String agentSerial = a.chain().getFirst().getSerialNumber().toString(16);
        assertThat(json(t.get("/api/v1/certificates/" + agentSerial, t.adminToken)).get("status").asString())
                .isEqualTo("revoked");
        assertThat(json(t.get("/api/v1/certificates/" + workloadSerial, t.adminToken)).get("status").asString())
                .isEqualTo("revoked");
        assertThat(json(ban).get("revoked_certificates").asInt()).isEqualTo(2);
        assertProblem(attest(joinToken(a.name(), "1h"), csr(TestServer.newKey())), 403);
        assertThat(audit().stream().filter(e -> e.get("action").asString().equals("agent.ban"))).isNotEmpty();
    }

    @Test
    void theBundleHoldsTheRootAsX509AuthorityAndTheJwtKeyWithSequenceAndRefreshHint() throws Exception {
        var r = t.send("GET", "/bundle", Optional.empty(), Optional.empty(), "", t.client);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode doc = json(r);
        assertThat(doc.get("spiffe_sequence").asLong()).isPositive();
        assertThat(doc.get("spiffe_refresh_hint").asLong()).isPositive();
        List<JsonNode> keys = doc.get("keys").valueStream().toList();
        JsonNode x509 = keys.stream().filter(k -> k.get("use").asString().equals("x509-svid")).findFirst().orElseThrow();
        assertThat(certificates(x509.get("x5c"))).containsExactly(t.server.root());
        assertThat(keys.stream().filter(k -> k.get("use").asString().equals("jwt-svid")))
                .singleElement().satisfies(k -> {
                    assertThat(k.get("kid").asString()).isNotEmpty();
                    assertThat(k.get("kty").asString()).isEqualTo("EC");
                    assertThat(k.has("d")).isFalse();
                });
        Agent a = agent();
        assertThat(json(node(a, "GET", "/api/v1/node/bundle", ""))).isEqualTo(doc);
    }

    @Test
    void entriesAreCreatedReadListedByParentAndDeletedThroughTheAdminApi() throws Exception {
        String parent = agentId("crud-node");
        String id = entry(parent, "/ns/crud/sa/x", ",\"admin\":true,\"dns_names\":[\"X.Example\"]");

        JsonNode got = json(t.get("/api/v1/entries/" + id, t.adminToken));
        assertThat(got.get("admin").asBoolean()).isTrue();
        assertThat(got.get("dns_names").get(0).asString()).isEqualTo("x.example");
        assertThat(json(t.get("/api/v1/entries?parent_id=" + java.net.URLEncoder.encode(parent,
                java.nio.charset.StandardCharsets.UTF_8), t.adminToken)).get("entries")).hasSize(1);
        var del = t.send("DELETE", "/api/v1/entries/" + id, Optional.of(t.adminToken), Optional.empty(), "", t.client);
        assertThat(del.statusCode()).isEqualTo(204);
        assertProblem(t.get("/api/v1/entries/" + id, t.adminToken), 404);
        assertThat(audit().stream().filter(e -> e.get("target").asString().equals(id)).map(e -> e.get("action")
                .asString())).containsExactly("entry.create", "entry.delete");
    }

    @Test
    void invalidEntriesAreRefused() throws Exception {
        String parent = quote(agentId("n"));
        String td = trustDomain();
        for (String body : List.of(
                "{\"spiffe_id\":\"spiffe://" + td + "/a\",\"parent_id\":" + parent + ",\"selectors\":[]}",
                "{\"spiffe_id\":\"spiffe://" + td + "/a\",\"parent_id\":" + parent + ",\"selectors\":[\"unix:uid:-1\"]}",
                "{\"spiffe_id\":\"spiffe://" + td + "/a\",\"parent_id\":" + parent + ",\"selectors\":[\"k8s:ns:x\"]}",
                "{\"spiffe_id\":\"spiffe://" + td + "/a\",\"parent_id\":" + parent + ",\"selectors\":[\"unix:path:rel\"]}",
                "{\"spiffe_id\":\"spiffe://" + td + "/a\",\"parent_id\":" + parent + ",\"selectors\":[\"unix:sha256:XYZ\"]}",
                "{\"spiffe_id\":\"spiffe://other.org/a\",\"parent_id\":" + parent + ",\"selectors\":[\"unix:uid:1\"]}",
                "{\"spiffe_id\":\"spiffe://" + td + "/certwright/agent/x\",\"parent_id\":" + parent
                        + ",\"selectors\":[\"unix:uid:1\"]}",
                "{\"spiffe_id\":\"spiffe://" + td + "/a\",\"parent_id\":\"spiffe://" + td + "/ns/x\",\"selectors\":[\"unix:uid:1\"]}",
                "{\"spiffe_id\":\"spiffe://" + td + "/a\",\"parent_id\":\"certwright:node:UPPER\",\"selectors\":[\"unix:uid:1\"]}",
                "{\"spiffe_id\":\"spiffe://" + td + "/a\",\"parent_id\":" + parent
                        + ",\"selectors\":[\"unix:uid:1\"],\"x509_svid_ttl\":\"10000d\"}",
                "{\"spiffe_id\":\"spiffe://" + td + "/a\",\"parent_id\":" + parent
                        + ",\"selectors\":[\"unix:uid:1\"],\"jwt_svid_ttl\":\"soon\"}")) {
            assertProblem(t.post("/api/v1/entries", t.adminToken, body), 400);
        }
    }

    @Test
    void badInputToTheNodeApiIsRefusedWithAProblemAndIssuesNothing() throws Exception {
        Agent a = agent();
        String id = entry(agentId(a.name()), "/ns/bad/sa/" + a.name(), "");
        long issued = issuedCount();
        List<String> bodies = List.of("", "{", "[]", "null", "{\"csrs\":null}", "{\"csrs\":[]}", "{\"csrs\":[null]}",
                "{\"csrs\":[{\"entry_id\":\"" + id + "\"}]}", "{\"csrs\":\"x\"}", "{\"unknown\":1}",
                "{\"csrs\":[{\"entry_id\":\"" + id + "\",\"csr\":\"x\",\"extra\":1}]}");
        for (String body : bodies) {
            var r = node(a, "POST", "/api/v1/node/svids", body);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isBetween(400, 499);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        for (String body : List.of("", "{}", "{\"csr\":5}", "{\"csr\":\"@@@\"}", "{\"csr\":\"AAAA\"}")) {
            var r = node(a, "POST", "/api/v1/node/renew", body);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isBetween(400, 499);
        }
        for (String body : List.of("", "{}", "{\"join_token\":\"x\"}", "{\"join_token\":5,\"csr\":\"x\"}", "garbage")) {
            var r = t.send("POST", "/api/v1/node/attest", Optional.empty(), Optional.of("application/json"), body, t.client);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isBetween(400, 499);
        }
        var wrongType = t.send("POST", "/api/v1/node/svids", Optional.empty(), Optional.of("text/plain"), "{}", a.client());
        assertProblem(wrongType, 415);
        var huge = node(a, "POST", "/api/v1/node/svids", "{\"csrs\":[{\"entry_id\":\"x\",\"csr\":\""
                + "A".repeat(3 * 1024 * 1024) + "\"}]}");
        assertProblem(huge, 413);
        StringBuilder tooMany = new StringBuilder("{\"csrs\":[");
        for (int i = 0; i < 1001; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"entry_id\":\"e\",\"csr\":\"\"}");
        }
        assertProblem(node(a, "POST", "/api/v1/node/svids", tooMany.append("]}").toString()), 400);
        assertThat(issuedCount()).isEqualTo(issued);
    }

    @Test
    void nodeApiCallsWithoutAnAgentSvidAreRefused() throws Exception {
        long issued = issuedCount();
        // No client certificate at all.
        for (String path : List.of("/api/v1/node/entries", "/api/v1/node/bundle")) {
            assertProblem(t.send("GET", path, Optional.empty(), Optional.empty(), "", t.client), 401);
        }
        assertProblem(t.send("POST", "/api/v1/node/svids", Optional.empty(), Optional.of("application/json"),
                "{\"csrs\":[]}", t.client), 401);
        // A certificate of this CA that is not an agent SVID.
        KeyPair key = TestServer.newKey();
        var plain = t.post("/api/v1/certificates", t.adminToken, "{\"csr\":" + quote(TestServer.csr(key,
                SubjectNames.ofSpiffeId(io.certwright.core.SpiffeId.parse("spiffe://" + trustDomain() + "/ns/x/sa/y"))))
                + ",\"profile\":\"svid\",\"ttl\":\"1h\"}");
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(201);
        List<X509Certificate> chain = new ArrayList<>(TestServer.certificates(json(plain).get("certificate").asString()));
        for (JsonNode c : json(plain).get("chain")) {
            chain.addAll(TestServer.certificates(c.asString()));
        }
        HttpClient notAgent = t.client(Optional.of(TestServer.keyStore(key, chain)));
        assertProblem(t.send("GET", "/api/v1/node/entries", Optional.empty(), Optional.empty(), "", notAgent), 403);
        assertThat(issuedCount()).isEqualTo(issued + 1);
        assertThat(audit().stream().filter(e -> e.get("action").asString().equals("auth")
                && e.get("details").path("reason").asString().contains("is not an agent SVID"))).isNotEmpty();
    }
}
