package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// Operating the server: the failed-authentication rate limit, readiness, audited configuration and the
/// database pool metrics, each on its own server.
class ServerOperationsTest {

    @TempDir
    Path dir;

    private static JsonNode json(HttpResponse<String> r) {
        return ServerApiTest.JSON_READER.readTree(r.body());
    }

    private static void assertProblem(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                c -> assertThat(c).startsWith("application/problem+json"));
        assertThat(json(r).get("type").asString()).isEqualTo("https://certwright.io/problems/" + type);
    }

    private static List<JsonNode> audit(TestServer t) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        long from = 1;
        while (true) {
            HttpResponse<String> r = t.get("/api/v1/audit?limit=1000&from=" + from, t.adminToken);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = json(r);
            page.get("entries").forEach(out::add);
            if (page.get("next").isNull()) {
                return out;
            }
            from = page.get("next").asLong();
        }
    }

    private static List<JsonNode> withAction(List<JsonNode> entries, String action) {
        return entries.stream().filter(e -> e.get("action").asString().equals(action)).toList();
    }

    @Test
    void failedAuthenticationsOverTheLimitAreRefusedWith429AuditedAndForgivenAfterAMinute() throws Exception {
        try (TestServer t = new TestServer(dir.resolve("data"), Map.of("CERTWRIGHT_LIMITS_AUTH_FAILURES_PER_MINUTE", "3"))) {
            for (int i = 0; i < 3; i++) {
                assertProblem(t.get("/api/v1/certificates", "cwt_wrong" + i), 401, "unauthorized");
            }
            HttpResponse<String> limited = t.get("/api/v1/certificates", t.adminToken);
            assertProblem(limited, 429, "rate-limited");
            assertThat(limited.headers().firstValue("Retry-After")).contains("60");
            assertProblem(t.get("/api/v1/certificates", "cwt_wrong"), 429, "rate-limited");
            assertThat(t.get("/readyz", "").statusCode()).as("public routes need no authentication").isEqualTo(200);

            t.clock.advance(Duration.ofMinutes(1));
            assertThat(t.get("/api/v1/certificates", t.adminToken).statusCode()).isEqualTo(200);

            List<JsonNode> refusals = audit(t).stream().filter(e -> e.get("action").asString().equals("auth")
                    && e.get("outcome").asString().equals("refused")).toList();
            assertThat(refusals).extracting(e -> e.get("actor").asString()).containsOnly("anonymous:127.0.0.1");
            assertThat(refusals).extracting(e -> e.get("details").get("reason").asString())
                    .filteredOn(reason -> reason.startsWith("rate-limited")).hasSize(2);
            assertThat(refusals).hasSize(5);
        }
    }

    @Test
    void readyzIsNotReadyWhileTheCaCannotSignAndWhenTheDatabaseIsGone() throws Exception {
        try (TestServer t = new TestServer(dir.resolve("data"), Map.of())) {
            assertThat(t.get("/readyz", "").statusCode()).isEqualTo(200);
            var intermediateExpiry = t.server.authority().issuer().certificate().getNotAfter().toInstant();
            var start = t.clock.instant();

            t.clock.set(intermediateExpiry.plusSeconds(1));
            HttpResponse<String> expired = t.get("/readyz", "");
            assertProblem(expired, 503, "not-ready");
            assertThat(json(expired).get("detail").asString()).contains("CA cannot sign").contains("expired");

            t.clock.set(start);
            assertThat(t.get("/readyz", "").statusCode()).isEqualTo(200);

            t.server.database().close();
            HttpResponse<String> noDatabase = t.get("/readyz", "");
            assertProblem(noDatabase, 503, "not-ready");
            assertThat(json(noDatabase).get("detail").asString()).contains("database unreachable");
            assertThat(t.get("/healthz", "").statusCode()).as("liveness does not depend on the database")
                    .isEqualTo(200);
        }
    }

    @Test
    void everyStartAuditsTheConfigurationHashAndAChangeNamesTheChangedKeys() throws Exception {
        Path data = dir.resolve("data");
        String firstHash;
        try (TestServer t = new TestServer(data, Map.of("CERTWRIGHT_DATABASE_PASSWORD", "hunter2"))) {
            List<JsonNode> entries = audit(t);
            List<JsonNode> loaded = withAction(entries, "config.loaded");
            assertThat(loaded).hasSize(1);
            firstHash = loaded.getFirst().get("details").get("sha256").asString();
            assertThat(firstHash).isEqualTo(t.server.config().sha256());
            assertThat(loaded.getFirst().get("details").get("log.format").asString()).isEqualTo("text");
            assertThat(withAction(entries, "config.changed")).isEmpty();
            assertThat(entries.toString()).doesNotContain("hunter2");
        }
        try (TestServer same = new TestServer(data, Map.of())) {
            List<JsonNode> entries = audit(same);
            assertThat(withAction(entries, "config.loaded")).hasSize(2)
                    .allSatisfy(e -> assertThat(e.get("details").get("sha256").asString()).isEqualTo(firstHash));
            assertThat(withAction(entries, "config.changed")).as("same configuration, only the password differs")
                    .isEmpty();
        }
        try (TestServer changed = new TestServer(data, Map.of("CERTWRIGHT_LOG_FORMAT", "json",
                "CERTWRIGHT_LIMITS_MAX_BODY_BYTES", "4096"))) {
            List<JsonNode> entries = audit(changed);
            List<JsonNode> changes = withAction(entries, "config.changed");
            assertThat(changes).hasSize(1);
            JsonNode details = changes.getFirst().get("details");
            assertThat(details.get("previous_sha256").asString()).isEqualTo(firstHash);
            assertThat(details.get("sha256").asString()).isEqualTo(changed.server.config().sha256()).isNotEqualTo(firstHash);
            assertThat(details.get("keys").asString()).isEqualTo("limits.max-body-bytes,log.format");
            JsonNode lastLoaded = withAction(entries, "config.loaded").getLast();
            assertThat(changes.getFirst().get("sequence").asLong()).as("config.changed comes right before config.loaded")
                    .isEqualTo(lastLoaded.get("sequence").asLong() - 1);
        }
    }

    @Test
    void metricsExposeTheDatabaseConnectionPools() throws Exception {
        try (TestServer t = new TestServer(dir.resolve("data"), Map.of("CERTWRIGHT_DATABASE_MAX_POOL_SIZE", "5"))) {
            assertThat(t.get("/api/v1/certificates", t.adminToken).statusCode()).isEqualTo(200);
            String scrape = t.send("GET", "/metrics", Optional.empty(), Optional.empty(), "", t.client).body();
            for (String pool : List.of("certwright-sqlite-writer", "certwright-sqlite-reader")) {
                for (String state : List.of("active", "idle", "pending")) {
                    assertThat(scrape).contains("certwright_db_pool_connections{pool=\"" + pool + "\",state=\"" + state + "\"}");
                }
            }
            assertThat(scrape).contains("certwright_db_pool_max_connections{pool=\"certwright-sqlite-reader\"} 5.0")
                    .contains("certwright_db_pool_max_connections{pool=\"certwright-sqlite-writer\"} 1.0");
            assertThat(t.server.database().poolStats()).extracting(s -> s.name())
                    .containsExactly("certwright-sqlite-writer", "certwright-sqlite-reader");
        }
    }

    @Test
    void metricsCountTheDatabaseCommitsAndTheWritesTheyCarried() throws Exception {
        try (TestServer t = new TestServer(dir.resolve("data"), Map.of())) {
            double commitsBefore = sample(scrape(t), "certwright_db_commits_total");
            double writesBefore = sample(scrape(t), "certwright_db_writes_total");
            assertThat(commitsBefore).isPositive();
            assertThat(writesBefore).isGreaterThanOrEqualTo(commitsBefore);
            var issued = t.post("/api/v1/certificates", t.adminToken, "{\"csr\":" + JsonMapper.builder().build()
                    .writeValueAsString(TestServer.csr(TestServer.newKey(), ServerApiTest.dns("counted.internal")))
                    + ",\"profile\":\"server\"}");
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
            String after = scrape(t);
            assertThat(sample(after, "certwright_db_commits_total")).isGreaterThan(commitsBefore);
            assertThat(sample(after, "certwright_db_writes_total") - writesBefore)
                    .isGreaterThanOrEqualTo(sample(after, "certwright_db_commits_total") - commitsBefore);
            var stats = t.server.database().writeStats();
            assertThat(stats.writes()).isGreaterThanOrEqualTo(stats.commits());
        }
    }

    private static String scrape(TestServer t) throws Exception {
        return t.send("GET", "/metrics", Optional.empty(), Optional.empty(), "", t.client).body();
    }

    private static double sample(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).map(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not in the scrape"));
    }
}
