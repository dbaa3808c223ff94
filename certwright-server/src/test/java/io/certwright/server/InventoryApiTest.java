package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Pem;
import io.certwright.core.KeyAlgorithm;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.testing.TestCa;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
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

/// The inventory routes of API v1 against a real server: issued certificates followed into the inventory,
/// sightings with per-item refusals, owners, filters and pages, silences and the compliance report.
class InventoryApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    static TestServer t;
    static String operator;
    static String auditor;
    static TestCa foreign;

    @BeforeAll
    static void start() throws Exception {
        t = new TestServer(dir.resolve("data"), Map.of("CERTWRIGHT_LIMITS_AUTH_FAILURES_PER_MINUTE", "100000",
                "CERTWRIGHT_INVENTORY_SYNC_INTERVAL", "10m", "CERTWRIGHT_ALERTING_INTERVAL", "1d",
                "CERTWRIGHT_INVENTORY_OWNERS", "san:*.shop.internal=team-shop;environment=prod,"
                        + "san:*.other.internal=platform",
                "CERTWRIGHT_ALERTING_THRESHOLD_OVERRIDES", "owner:team-shop=10m"));
        operator = token("operator");
        auditor = token("auditor");
        foreign = TestCa.create(KeyAlgorithm.P256, Optional.empty(), t.clock);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    static String token(String role) throws Exception {
        var r = t.post("/api/v1/tokens", t.adminToken, "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        return json(r).get("token").asString();
    }

    static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        return t.send(method, path, Optional.of(token), body.isEmpty() ? Optional.empty()
                : Optional.of("application/json"), body, t.client);
    }

    static X509Certificate issue(String dns) throws Exception {
        KeyPair key = TestServer.newKey();
        var r = t.post("/api/v1/certificates", operator, "{\"csr\":" + JSON.writeValueAsString(TestServer.csr(key,
                ServerApiTest.dns(dns))) + ",\"profile\":\"server\",\"ttl\":\"1h\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestServer.certificates(json(r).get("certificate").asString()).getFirst();
    }

    static String fingerprint(X509Certificate c) {
        return EncodedCertificate.of(c).fingerprint().hex();
    }

    static String b64(X509Certificate c) throws Exception {
        return Base64.getEncoder().encodeToString(c.getEncoded());
    }

    static void assertProblem(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json(r).get("type").asString()).isEqualTo("https://certwright.io/problems/" + type);
    }

    @Test
    void issuedCertificatesEnterTheInventoryThroughTheSyncAndTheirRevocationFollows() throws Exception {
        X509Certificate cert = issue("sync.internal");
        String fp = fingerprint(cert);
        t.server.inventory().syncIssued();
        JsonNode item = json(t.get("/api/v1/inventory/" + fp, auditor));
        assertThat(item.get("source").asString()).isEqualTo("issued");
        assertThat(item.get("dns_names").get(0).asString()).isEqualTo("sync.internal");
        assertThat(item.get("status").asString()).isEqualTo("expiring");
        assertThat(item.get("chain")).hasSize(1);
        assertThat(item.get("certificate").asString()).startsWith("-----BEGIN CERTIFICATE-----");

        var revoked = t.post("/api/v1/certificates/" + cert.getSerialNumber().toString(16) + "/revoke", operator,
                "{\"reason\":\"keyCompromise\"}");
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(t.server.inventory().syncIssued().revoked()).isEqualTo(1);
        item = json(t.get("/api/v1/inventory/" + fp.toUpperCase(java.util.Locale.ROOT), auditor));
        assertThat(item.get("status").asString()).isEqualTo("revoked");
        assertThat(item.get("revoked_at").isNull()).isFalse();
        assertThat(t.server.inventory().syncIssued()).isEqualTo(
                new io.certwright.server.inventory.InventoryService.SyncSummary(0, 0));
    }

    @Test
    void configuredOwnershipRulesNameTheOwnerAndPickItsThresholdsAndAHandSetOwnerWinsOverThem() throws Exception {
        String shop = fingerprint(issue("cart.shop.internal"));
        String other = fingerprint(issue("db.other.internal"));
        t.server.inventory().syncIssued();

        JsonNode item = json(t.get("/api/v1/inventory/" + shop, auditor));
        assertThat(item.get("owner").asString()).isEqualTo("team-shop");
        assertThat(item.get("owner_source").asString()).isEqualTo("rule");
        assertThat(item.get("owner_rule").asString()).isEqualTo("san:*.shop.internal=team-shop;environment=prod");
        assertThat(item.get("labels").get("environment").asString()).isEqualTo("prod");
        // One hour left: within the default thresholds, but not within team-shop's own 10 minutes.
        assertThat(item.get("status").asString()).isEqualTo("ok");
        JsonNode otherItem = json(t.get("/api/v1/inventory/" + other, auditor));
        assertThat(otherItem.get("owner").asString()).isEqualTo("platform");
        assertThat(otherItem.get("status").asString()).isEqualTo("expiring");

        var r = send("PUT", "/api/v1/inventory/" + shop + "/owner", operator, "{\"owner\":\"checkout\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        t.server.inventory().syncIssued();
        JsonNode handSet = json(t.get("/api/v1/inventory/" + shop, auditor));
        assertThat(handSet.get("owner").asString()).isEqualTo("checkout");
        assertThat(handSet.get("status").asString()).isEqualTo("expiring");
    }

    @Test
    void aCertificateLeftPendingHoldsTheSyncBackUntilItIsGivenUpOn() throws Exception {
        java.time.Instant now = t.clock.instant();
        new io.certwright.store.JdbcCertificateStore(t.server.database()).recordPending(
                new io.certwright.ca.PendingCertificate(io.certwright.core.SerialNumber.random(
                        new java.security.SecureRandom()), io.certwright.ca.profile.Profile.SERVER, "CN=stuck",
                        List.of("stuck.internal"), new io.certwright.core.Validity(now, now.plus(Duration.ofHours(1))),
                        "00".repeat(32), now, io.certwright.ca.Requester.SYSTEM));
        X509Certificate after = issue("after-pending.internal");
        t.server.inventory().syncIssued();
        assertThat(t.get("/api/v1/inventory/" + fingerprint(after), auditor).statusCode()).isEqualTo(404);
        t.clock.advance(Duration.ofMinutes(6));
        t.server.inventory().syncIssued();
        assertThat(t.get("/api/v1/inventory/" + fingerprint(after), auditor).statusCode()).isEqualTo(200);
    }

    @Test
    void sightingsAreRecordedAndEachBadItemIsRefusedWithItsIndexAndAudited() throws Exception {
        IssuedCertificate seen = foreign.issueServer(Duration.ofDays(90), "shop.example.com");
        String good = "{\"chain\":[\"" + b64(seen.certificate()) + "\",\"" + b64(seen.chain().getFirst())
                + "\"],\"place\":\"tls://shop.example.com:443\",\"seen_at\":\"" + t.clock.instant()
                + "\",\"tls\":{\"hostname_matches\":true,\"chain_trusted\":false,\"chain_complete\":true}}";
        String pem = "{\"chain_pem\":" + JSON.writeValueAsString(Pem.certificate(seen.certificate()))
                + ",\"place\":\"file:/etc/ssl/shop.pem\"}";
        List<String> bad = List.of(
                "{\"chain\":[\"" + b64(seen.certificate()) + "\"],\"place\":\"ftp://x\"}",
                "{\"chain\":[\"%%%not base64\"],\"place\":\"file:/a\"}",
                "{\"chain\":[\"" + Base64.getEncoder().encodeToString(new byte[] {0x30, 3, 1, 2, 3})
                        + "\"],\"place\":\"file:/a\"}",
                "{\"chain\":[\"" + b64(seen.certificate()) + "\"],\"place\":\"file:/a\",\"seen_at\":\""
                        + t.clock.instant().plus(Duration.ofDays(1)) + "\"}",
                "{\"chain\":[\"" + b64(seen.certificate()) + "\"],\"chain_pem\":\"x\",\"place\":\"file:/a\"}",
                "{\"chain\":[\"" + b64(seen.certificate()) + "\"],\"place\":\"file:/a\",\"tls\":"
                        + "{\"hostname_matches\":true,\"chain_trusted\":true,\"chain_complete\":true}}",
                "{\"chain\":[],\"place\":\"tls://a:443\"}",
                "null");
        String body = "{\"sightings\":[" + good + "," + String.join(",", bad) + "," + pem + "]}";
        var r = t.post("/api/v1/inventory/sightings", operator, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = json(r);
        assertThat(result.get("accepted").asInt()).isEqualTo(2);
        assertThat(result.get("added").asInt()).isEqualTo(1);
        assertThat(result.get("updated").asInt()).isEqualTo(1);
        List<Integer> indexes = new ArrayList<>();
        result.get("rejected").forEach(x -> {
            indexes.add(x.get("index").asInt());
            assertThat(x.get("reason").asString()).isNotBlank();
        });
        assertThat(indexes).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);

        JsonNode item = json(t.get("/api/v1/inventory/" + fingerprint(seen.certificate()), auditor));
        assertThat(item.get("source").asString()).isEqualTo("discovered");
        assertThat(item.get("places")).hasSize(2);
        JsonNode endpoint = item.get("places").get(0).get("place").asString().startsWith("tls:")
                ? item.get("places").get(0) : item.get("places").get(1);
        assertThat(endpoint.get("tls").get("chain_trusted").asBoolean()).isFalse();

        JsonNode audit = json(t.get("/api/v1/audit?limit=1000", t.adminToken));
        List<String> refused = new ArrayList<>();
        audit.get("entries").forEach(e -> {
            if (e.get("action").asString().equals("inventory.sightings") && e.get("outcome").asString().equals("refused")) {
                refused.add(e.get("details").get("reasons").asString());
            }
        });
        assertThat(refused).anySatisfy(reasons -> assertThat(reasons).contains("1: ").contains("unknown place"));
    }

    @Test
    void malformedOrOversizedSightingBodiesAreProblemsAndWriteNothing() throws Exception {
        long before = t.server.inventory().snapshot().states().size();
        assertProblem(t.post("/api/v1/inventory/sightings", operator, "{\"sightings\":{}}"), 400, "malformed-request");
        assertProblem(t.post("/api/v1/inventory/sightings", operator, "{}"), 400, "malformed-request");
        assertProblem(t.post("/api/v1/inventory/sightings", operator, "{\"sightings\":[],\"extra\":1}"), 400,
                "malformed-request");
        String many = "{\"sightings\":[" + String.join(",", java.util.Collections.nCopies(1001, "null")) + "]}";
        assertProblem(t.post("/api/v1/inventory/sightings", operator, many), 400, "malformed-request");
        String huge = "{\"sightings\":[{\"chain_pem\":\"" + "A".repeat(70_000) + "\",\"place\":\"file:/x\"}]}";
        assertProblem(t.post("/api/v1/inventory/sightings", operator, huge), 413, "payload-too-large");
        assertProblem(t.post("/api/v1/inventory/sightings", auditor, "{\"sightings\":[]}"), 403, "forbidden");
        assertProblem(send("POST", "/api/v1/inventory/sightings", "", "{\"sightings\":[]}"), 401, "unauthorized");
        assertThat(t.server.inventory().snapshot().states().size()).isEqualTo(before);
    }

    @Test
    void anOperatorSetsAndClearsAnOwnerAndAnAuditorCannot() throws Exception {
        X509Certificate cert = issue("owned.internal");
        t.server.inventory().syncIssued();
        String fp = fingerprint(cert);
        String body = "{\"owner\":\"payments\",\"labels\":{\"team\":\"payments\",\"environment\":\"prod\"}}";
        assertProblem(send("PUT", "/api/v1/inventory/" + fp + "/owner", auditor, body), 403, "forbidden");
        var r = send("PUT", "/api/v1/inventory/" + fp + "/owner", operator, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("owner").asString()).isEqualTo("payments");
        assertThat(json(r).get("owner_source").asString()).isEqualTo("manual");
        assertThat(json(r).get("labels").get("environment").asString()).isEqualTo("prod");

        JsonNode owned = json(t.get("/api/v1/inventory?owner=payments", auditor));
        assertThat(owned.get("items")).extracting(i -> i.get("fingerprint").asString()).containsExactly(fp);

        assertThat(send("DELETE", "/api/v1/inventory/" + fp + "/owner", operator, "").statusCode()).isEqualTo(204);
        assertThat(json(t.get("/api/v1/inventory/" + fp, auditor)).get("owner").isNull()).isTrue();

        assertProblem(send("PUT", "/api/v1/inventory/" + "ab".repeat(32) + "/owner", operator, body), 404, "not-found");
        assertProblem(send("PUT", "/api/v1/inventory/not-hex/owner", operator, body), 400, "malformed-request");
        assertProblem(send("PUT", "/api/v1/inventory/" + fp + "/owner", operator, "{\"owner\":\"\"}"), 400,
                "malformed-request");
        assertProblem(send("PUT", "/api/v1/inventory/" + fp + "/owner", operator,
                "{\"owner\":\"x\",\"labels\":{\"Bad Key\":\"v\"}}"), 400, "malformed-request");
        assertProblem(t.get("/api/v1/inventory/" + "cd".repeat(32), auditor), 404, "not-found");
    }

    @Test
    void theListFiltersBySourceAndStatusAndPagesWithACursorWithoutRepeats() throws Exception {
        issue("page-a.internal");
        issue("page-b.internal");
        issue("page-c.internal");
        t.server.inventory().syncIssued();
        Set<String> seen = new HashSet<>();
        int total = json(t.get("/api/v1/inventory?limit=1000", auditor)).get("items").size();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = json(t.get("/api/v1/inventory?limit=2" + cursor, auditor));
            page.get("items").forEach(i -> assertThat(seen.add(i.get("fingerprint").asString())).isTrue());
            cursor = page.get("next_cursor").isNull() ? "" : "&cursor=" + page.get("next_cursor").asString();
            pages++;
        } while (!cursor.isEmpty());
        assertThat(seen).hasSize(total);
        assertThat(pages).isGreaterThanOrEqualTo(2);

        json(t.get("/api/v1/inventory?source=issued&limit=1000", auditor)).get("items")
                .forEach(i -> assertThat(i.get("source").asString()).isEqualTo("issued"));
        json(t.get("/api/v1/inventory?status=expiring&expiring_within=2h", auditor)).get("items")
                .forEach(i -> assertThat(i.get("status").asString()).isEqualTo("expiring"));
        assertProblem(t.get("/api/v1/inventory?status=fine", auditor), 400, "malformed-request");
        assertProblem(t.get("/api/v1/inventory?source=both", auditor), 400, "malformed-request");
        assertProblem(t.get("/api/v1/inventory?cursor=!!", auditor), 400, "malformed-request");
        assertProblem(t.get("/api/v1/inventory?limit=0", auditor), 400, "malformed-request");
        assertProblem(t.get("/api/v1/inventory", ""), 401, "unauthorized");
    }

    @Test
    void silencesAreCreatedListedAndEndedAndBadOnesRefused() throws Exception {
        var r = t.post("/api/v1/silences", operator, "{\"owner\":\"payments\",\"duration\":\"24h\",\"reason\":\"migration\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = json(r).get("id").asString();
        assertThat(json(t.get("/api/v1/silences", auditor)).get("items"))
                .extracting(i -> i.get("id").asString()).contains(id);
        assertThat(send("DELETE", "/api/v1/silences/" + id, operator, "").statusCode()).isEqualTo(204);
        assertProblem(send("DELETE", "/api/v1/silences/" + id, operator, ""), 404, "not-found");
        assertProblem(send("DELETE", "/api/v1/silences/nonsense", operator, ""), 404, "not-found");
        assertThat(json(t.get("/api/v1/silences", auditor)).get("items"))
                .extracting(i -> i.get("id").asString()).doesNotContain(id);

        for (String bad : List.of("{\"duration\":\"1h\"}", "{\"owner\":\"a\",\"fingerprint\":\"" + "ab".repeat(32)
                + "\",\"duration\":\"1h\"}", "{\"owner\":\"a\"}", "{\"owner\":\"a\",\"duration\":\"-1h\"}",
                "{\"owner\":\"a\",\"until\":\"2000-01-01T00:00:00Z\"}", "{\"owner\":\"a\",\"duration\":\"400d\"}",
                "{\"fingerprint\":\"xyz\",\"duration\":\"1h\"}", "{\"owner\":\"a\",\"until\":\"tomorrow\"}")) {
            assertProblem(t.post("/api/v1/silences", operator, bad), 400, "malformed-request");
        }
        assertProblem(t.post("/api/v1/silences", auditor, "{\"owner\":\"a\",\"duration\":\"1h\"}"), 403, "forbidden");
    }

    @Test
    void theComplianceReportIsServedAsJsonCsvAndHtml() throws Exception {
        issue("report.internal");
        t.server.inventory().syncIssued();
        var json = t.get("/api/v1/inventory/report", auditor);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json(json).get("certificates").asInt()).isPositive();
        var csv = t.get("/api/v1/inventory/report?format=csv", auditor);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("section,type,fingerprint");
        var html = t.get("/api/v1/inventory/report?format=html", auditor);
        assertThat(html.body()).contains("<h1>Certwright compliance report</h1>");
        assertProblem(t.get("/api/v1/inventory/report?format=pdf", auditor), 400, "malformed-request");
    }

    @Test
    void theDeliveryLogIsReadableByAnAuditor() throws Exception {
        var r = t.get("/api/v1/alerts/deliveries", auditor);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("items").isArray()).isTrue();
        assertProblem(t.get("/api/v1/alerts/deliveries?limit=5000", auditor), 400, "malformed-request");
    }
}
