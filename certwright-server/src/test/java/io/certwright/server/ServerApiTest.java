package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.SpiffeId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// The REST API against a real server: Jetty on an ephemeral port, SQLite in a temporary directory.
class ServerApiTest {

    static final JsonMapper JSON_READER = JsonMapper.builder().build();
    private static final JsonMapper JSON = JSON_READER;

    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = new TestServer(dir.resolve("data"), Map.of("CERTWRIGHT_LIMITS_AUTH_FAILURES_PER_MINUTE", "100000"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    static String quote(String s) {
        return JSON.writeValueAsString(s);
    }

    static String issueBody(String csr, String profile, String ttl) {
        return "{\"csr\":" + quote(csr) + ",\"profile\":\"" + profile + "\",\"ttl\":\"" + ttl + "\"}";
    }

    static SubjectNames spiffe(String id) {
        return SubjectNames.ofSpiffeId(SpiffeId.parse(id));
    }

    static SubjectNames dns(String... names) {
        return new SubjectNames(List.of(names), List.of(), List.of(), List.of());
    }

    static String token(String role) throws Exception {
        var r = t.post("/api/v1/tokens", t.adminToken, "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        return json(r).get("token").asString();
    }

    static void provisioner(String name, String spiffePattern) throws Exception {
        var r = t.post("/api/v1/provisioners", t.adminToken, "{\"name\":\"" + name + "\",\"kind\":\"token\","
                + "\"profiles\":[\"svid\",\"mtls\"],\"spiffe_id\":[\"" + spiffePattern + "\"],\"dns\":[\"*.internal\"],"
                + "\"max_ttl\":\"2h\",\"token_ttl\":\"10m\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    static String enrollment(String provisioner, String bodyJson) throws Exception {
        var r = t.post("/api/v1/provisioners/" + provisioner + "/tokens", t.adminToken, bodyJson);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("token").asString();
    }

    static int certificateCount() throws Exception {
        int n = 0;
        String cursor = "";
        do {
            JsonNode page = json(t.get("/api/v1/certificates?limit=1000" + cursor, t.adminToken));
            n += page.get("items").size();
            cursor = page.get("next_cursor").isNull() ? "" : "&cursor=" + page.get("next_cursor").asString();
        } while (!cursor.isEmpty());
        return n;
    }

    static void assertProblem(HttpResponse<String> r, String type) {
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                c -> assertThat(c).startsWith("application/problem+json"));
        assertThat(json(r).get("type").asString()).as(r.body()).isEqualTo("https://certwright.io/problems/" + type);
    }

    @Test
    void firstStartCreatesCaAdminTokenAndPassphraseReadableOnlyByTheOwner() throws Exception {
        Path data = dir.resolve("data");
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (Path secret : List.of(data.resolve("secrets/admin.token"), data.resolve("secrets/ca.passphrase"),
                data.resolve("ca/intermediate.key"))) {
            assertThat(Files.getPosixFilePermissions(secret)).as(secret.toString())
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(t.server.url()).isEqualTo(URI.create("https://127.0.0.1:" + t.server.url().getPort()));
        assertThat(t.server.rootFingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(t.get("/readyz", "").statusCode()).isEqualTo(200);
    }

    @Test
    void adminTokenIssuesAChainThatValidatesAgainstRootsPemAndIsRecordedWithItsAuditEntry() throws Exception {
        KeyPair key = TestServer.newKey();
        var r = t.post("/api/v1/certificates", t.adminToken, issueBody(TestServer.csr(key,
                spiffe("spiffe://certwright.local/api")), "svid", "1h"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("spiffe_id").asString()).isEqualTo("spiffe://certwright.local/api");
        List<X509Certificate> chain = new ArrayList<>(TestServer.certificates(body.get("certificate").asString()));
        for (JsonNode c : body.get("chain")) {
            chain.addAll(TestServer.certificates(c.asString()));
        }
        List<X509Certificate> roots = TestServer.certificates(t.get("/roots.pem", "").body());
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(roots.getFirst(), null)));
        params.setRevocationEnabled(false);
        params.setDate(java.util.Date.from(t.clock.instant()));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain),
                params);

        String serial = body.get("serial").asString();
        JsonNode stored = json(t.get("/api/v1/certificates/" + serial.toUpperCase(java.util.Locale.ROOT), t.adminToken));
        assertThat(stored.get("serial").asString()).isEqualTo(serial);
        assertThat(stored.get("status").asString()).isEqualTo("valid");
        assertThat(stored.get("requester").asString()).startsWith("token:");
        JsonNode audit = json(t.get("/api/v1/audit?limit=1000", t.adminToken)).get("entries");
        assertThat(audit.valueStream().filter(e -> e.get("target").asString().equals(serial)
                && e.get("action").asString().equals("certificate.issue"))).hasSize(1);

        var pem = t.send("POST", "/api/v1/certificates", Optional.of(t.adminToken), Optional.of("application/json"),
                issueBody(TestServer.csr(TestServer.newKey(), dns("pem.example")), "server", "1h"),
                t.client);
        assertThat(pem.statusCode()).isEqualTo(201);
        var pemChain = t.client.send(java.net.http.HttpRequest.newBuilder(URI.create(t.server.url()
                + "/api/v1/certificates")).header("Authorization", "Bearer " + t.adminToken)
                .header("Content-Type", "application/json").header("Accept", "application/pem-certificate-chain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(issueBody(TestServer.csr(TestServer.newKey(),
                        dns("pem.example")), "server", "1h"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(TestServer.certificates(pemChain.body())).hasSize(2);
    }

    @Test
    void enrollmentTokenWorksOnceAndTheSecondUseGetsTokenUsed() throws Exception {
        provisioner("workloads", "spiffe://certwright.local/ns/*");
        String tok = enrollment("workloads", "{\"spiffe_id\":\"spiffe://certwright.local/ns/web\",\"ttl\":\"5m\"}");
        String body = issueBody(TestServer.csr(TestServer.newKey(), spiffe("spiffe://certwright.local/ns/web")),
                "svid", "1h");
        var first = t.post("/api/v1/certificates", tok, body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String serial = json(first).get("serial").asString();
        JsonNode rec = json(t.get("/api/v1/certificates/" + serial, t.adminToken));
        assertThat(rec.get("requester").asString()).startsWith("enrollment:enr_");
        assertThat(rec.get("provisioner").asString()).isEqualTo("workloads");
        assertProblem(t.post("/api/v1/certificates", tok, body), "token-used");
    }

    @Test
    void enrollmentTokenForIdentityAUsedForIdentityBIsRefused() throws Exception {
        provisioner("team-a", "spiffe://certwright.local/team/**");
        String tok = enrollment("team-a", "{\"spiffe_id\":\"spiffe://certwright.local/team/a\"}");
        int before = certificateCount();
        var r = t.post("/api/v1/certificates", tok, issueBody(TestServer.csr(TestServer.newKey(),
                spiffe("spiffe://certwright.local/team/b")), "svid", "1h"));
        assertProblem(r, "policy-refused");
        assertThat(json(r).get("refusals").get(0).get("rule").asString()).isEqualTo("profile.names");
        assertThat(certificateCount()).isEqualTo(before);
    }

    @Test
    void renewalWithTheCurrentCertificateWorksAndWithARevokedOneIsRefused() throws Exception {
        KeyPair key = TestServer.newKey();
        SubjectNames names = spiffe("spiffe://certwright.local/renewing");
        var issued = json(t.post("/api/v1/certificates", t.adminToken, issueBody(TestServer.csr(key, names), "svid", "1h")));
        List<X509Certificate> chain = new ArrayList<>(TestServer.certificates(issued.get("certificate").asString()));
        chain.addAll(TestServer.certificates(issued.get("chain").get(0).asString()));
        HttpClient mtls = t.client(Optional.of(TestServer.keyStore(key, chain)));
        KeyPair next = TestServer.newKey();
        String renewBody = "{\"csr\":" + quote(TestServer.csr(next, names)) + ",\"ttl\":\"30m\"}";
        var renewed = t.send("POST", "/api/v1/certificates/renew", Optional.empty(), Optional.of("application/json"),
                renewBody, mtls);
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(201);
        String newSerial = json(renewed).get("serial").asString();
        assertThat(json(t.get("/api/v1/certificates/" + newSerial, t.adminToken)).get("requester").asString())
                .isEqualTo("cert:" + issued.get("serial").asString());

        var otherNames = t.send("POST", "/api/v1/certificates/renew", Optional.empty(), Optional.of("application/json"),
                "{\"csr\":" + quote(TestServer.csr(next, spiffe("spiffe://certwright.local/other"))) + "}", mtls);
        assertProblem(otherNames, "policy-refused");

        assertThat(t.post("/api/v1/certificates/" + issued.get("serial").asString() + "/revoke", t.adminToken,
                "{\"reason\":\"keyCompromise\"}").statusCode()).isEqualTo(200);
        HttpClient again = t.client(Optional.of(TestServer.keyStore(key, chain)));
        assertProblem(t.send("POST", "/api/v1/certificates/renew", Optional.empty(), Optional.of("application/json"),
                renewBody, again), "forbidden");
        assertProblem(t.send("POST", "/api/v1/certificates/renew", Optional.empty(), Optional.of("application/json"),
                renewBody, t.client), "unauthorized");
    }

    @Test
    void revokedCertificateShowsAsRevokedAndRevokingAgainKeepsTheFirstRevocation() throws Exception {
        var issued = json(t.post("/api/v1/certificates", t.adminToken, issueBody(TestServer.csr(TestServer.newKey(),
                dns("revoke.example")), "server", "1h")));
        String serial = issued.get("serial").asString();
        String colons = serial.toUpperCase(java.util.Locale.ROOT).replaceAll("(..)(?!$)", "$1:");
        var r = t.post("/api/v1/certificates/00" + colons + "/revoke", t.adminToken, "{\"reason\":\"superseded\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("already_revoked").asBoolean()).isFalse();
        JsonNode rec = json(t.get("/api/v1/certificates/" + serial, t.adminToken));
        assertThat(rec.get("status").asString()).isEqualTo("revoked");
        assertThat(rec.get("revocation_reason").asString()).isEqualTo("superseded");
        long auditBefore = json(t.get("/api/v1/audit?limit=1000", t.adminToken)).get("entries").size();

        var again = t.post("/api/v1/certificates/" + serial + "/revoke", t.adminToken, "{\"reason\":\"keyCompromise\"}");

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode repeat = json(again);
        assertThat(repeat.get("already_revoked").asBoolean()).isTrue();
        assertThat(repeat.get("revocation_reason").asString()).isEqualTo("superseded");
        assertThat(repeat.get("revoked_at").asString()).isEqualTo(rec.get("revoked_at").asString());
        assertThat(json(t.get("/api/v1/audit?limit=1000", t.adminToken)).get("entries").size()).isEqualTo(auditBefore);
    }

    @Test
    void listingFiltersAndPagesWithACursor() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(t.post("/api/v1/certificates", t.adminToken, issueBody(TestServer.csr(TestServer.newKey(),
                    dns("host" + i + ".paged.example")), "server", "1h")).statusCode()).isEqualTo(201);
        }
        JsonNode first = json(t.get("/api/v1/certificates?dns_prefix=host&profile=server&limit=2", t.adminToken));
        assertThat(first.get("items").size()).isEqualTo(2);
        String cursor = first.get("next_cursor").asString();
        JsonNode second = json(t.get("/api/v1/certificates?dns_prefix=host&profile=server&limit=2&cursor=" + cursor,
                t.adminToken));
        assertThat(second.get("items").size()).isEqualTo(1);
        assertThat(second.get("next_cursor").isNull()).isTrue();
        Set<String> serials = new java.util.HashSet<>();
        first.get("items").forEach(i -> serials.add(i.get("serial").asString()));
        second.get("items").forEach(i -> serials.add(i.get("serial").asString()));
        assertThat(serials).hasSize(3);
        JsonNode svids = json(t.get("/api/v1/certificates?profile=svid&status=valid&spiffe_id_prefix=spiffe://nowhere",
                t.adminToken));
        assertThat(svids.get("items").size()).isZero();
    }

    @Test
    void auditorCanReadButCannotIssue() throws Exception {
        String auditor = token("auditor");
        assertProblem(t.post("/api/v1/certificates", auditor, issueBody(TestServer.csr(TestServer.newKey(),
                dns("a.example")), "server", "1h")), "forbidden");
        assertThat(t.get("/api/v1/certificates", auditor).statusCode()).isEqualTo(200);
        assertThat(t.get("/api/v1/audit/export", auditor).body().lines()).allSatisfy(l -> assertThat(l).startsWith("{"));
        assertProblem(t.get("/api/v1/tokens", auditor), "forbidden");
    }

    @Test
    void metricsCountIssuancesByProfileAndOutcome() throws Exception {
        t.post("/api/v1/certificates", t.adminToken, issueBody(TestServer.csr(TestServer.newKey(), dns("m.example")),
                "server", "1h"));
        String text = t.get("/metrics", "").body();
        assertThat(text).contains("certwright_issuances_total{").contains("profile=\"server\"")
                .contains("certwright_issuance_latency_seconds_bucket").contains("jvm_memory_used_bytes");
    }

    @Test
    void everyRouteIsInTheOpenApiDocumentAndViceVersa() throws Exception {
        JsonNode doc = json(t.get("/api/v1/openapi.json", ""));
        assertThat(doc.get("openapi").asString()).startsWith("3.1");
        Set<String> documented = new java.util.TreeSet<>();
        for (var path : doc.get("paths").properties()) {
            for (var method : path.getValue().properties()) {
                documented.add(method.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
            }
        }
        Set<String> routed = t.server.routeSignatures().stream().collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void badInputCorpusGetsSpecificProblemsNeverA5xxAndIssuesNothing() throws Exception {
        BadInputCorpus corpus = new BadInputCorpus(t);
        List<BadInputCorpus.Case> cases = corpus.cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
        int before = certificateCount();
        List<String> failures = new ArrayList<>();
        for (BadInputCorpus.Case c : cases) {
            HttpResponse<String> r;
            try {
                r = c.send().call();
            } catch (java.io.IOException e) {
                failures.add(c.name() + ": " + e);
                continue;
            }
            String type;
            try {
                type = json(r).get("type").asString();
            } catch (RuntimeException e) {
                type = "(no problem body)";
            }
            boolean ok = r.statusCode() >= 400 && r.statusCode() < 500
                    && r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    && c.expected().stream().anyMatch(e -> ("https://certwright.io/problems/" + e).equals(
                            json(r).path("type").asString("")));
            if (!ok) {
                failures.add(c.name() + ": " + r.statusCode() + " " + type + " " + r.body());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(certificateCount()).isEqualTo(before);
        assertThat(Duration.ofSeconds(1)).isPositive();
    }

    @Test
    void anOversizedBodyIsAnswered413EveryTimeRatherThanWithAResetConnection() throws Exception {
        // Several megabytes, over the limit: answering before reading them all would close the connection on
        // unread bytes, and the client could lose the 413 to the reset.
        String body = "{\"csr\":\"" + "A".repeat(3 * 1024 * 1024) + "\"}";
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> r = t.post("/api/v1/certificates", t.adminToken, body);
            assertProblem(r, "payload-too-large");
        }
    }
}
