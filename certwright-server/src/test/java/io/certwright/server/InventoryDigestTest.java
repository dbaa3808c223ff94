package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.inventory.alert.Secret;
import io.certwright.inventory.alert.WebhookSignature;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// The daily digest end to end: a server with `alerting.digest` on sends each owner, and the unowned, one
/// signed digest webhook per UTC day listing the certificates that need attention, and no second one that day.
class InventoryDigestTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WEBHOOK_SECRET = "digest-webhook-secret-2c9";

    @TempDir
    static Path dir;
    static TestServer t;
    static HttpServer receiver;
    static final ConcurrentLinkedQueue<JsonNode> digests = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<Boolean> signatures = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            boolean valid = WebhookSignature.verify(Secret.of(WEBHOOK_SECRET),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER)),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER)),
                    body, t.clock.instant(), Duration.ofMinutes(5));
            JsonNode json = JSON.readTree(body);
            if ("digest".equals(json.get("kind").asString())) {
                signatures.add(valid);
                digests.add(json);
            }
            exchange.sendResponseHeaders(valid ? 204 : 401, -1);
            exchange.close();
        });
        receiver.start();
        t = new TestServer(dir.resolve("data"), Map.of(
                "CERTWRIGHT_INVENTORY_SYNC_INTERVAL", "10m",
                "CERTWRIGHT_ALERTING_INTERVAL", "1d",
                "CERTWRIGHT_ALERTING_DIGEST", "true",
                "CERTWRIGHT_ALERTING_WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "CERTWRIGHT_ALERTING_WEBHOOK_SECRET", WEBHOOK_SECRET));
    }

    @AfterAll
    static void stop() {
        if (t != null) {
            t.close();
        }
        receiver.stop(0);
    }

    private static String issue(String dns) throws Exception {
        KeyPair key = TestServer.newKey();
        var r = t.post("/api/v1/certificates", t.adminToken, "{\"csr\":" + JSON.writeValueAsString(TestServer.csr(key,
                ServerApiTest.dns(dns))) + ",\"profile\":\"server\",\"ttl\":\"1h\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        X509Certificate cert = TestServer.certificates(JSON.readTree(r.body()).get("certificate").asString()).getFirst();
        return EncodedCertificate.of(cert).fingerprint().hex();
    }

    private static List<String> fingerprints(JsonNode digest) {
        List<String> out = new ArrayList<>();
        digest.get("certificates").forEach(c -> out.add(c.get("fingerprint").asString()));
        return out;
    }

    private static JsonNode digestFor(List<JsonNode> sent, Optional<String> owner) {
        return sent.stream().filter(d -> owner.map(o -> o.equals(d.path("owner").asString(null)))
                .orElse(d.path("owner").isNull() || d.path("owner").isMissingNode())).findFirst().orElseThrow();
    }

    @Test
    void eachOwnerAndTheUnownedGetOneSignedDigestADayListingTheirCertificates() throws Exception {
        // The scheduled jobs ran once at start, and the alert job may have sent today's digests then, before
        // this test's certificates existed: stop the jobs (waiting for a run under way) and begin the next day
        // with nothing received, so that only the runs below count.
        t.server.inventory().close();
        t.clock.advance(Duration.ofDays(1));
        digests.clear();
        signatures.clear();
        String unowned = issue("digest-unowned.internal");
        String owned = issue("digest-owned.internal");
        t.server.inventory().syncIssued();
        var put = t.send("PUT", "/api/v1/inventory/" + owned + "/owner", Optional.of(t.adminToken),
                Optional.of("application/json"), "{\"owner\":\"payments\"}", t.client);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        t.server.inventory().alertNow();
        t.server.inventory().alertNow();

        List<JsonNode> first = List.copyOf(digests);
        assertThat(first).hasSize(2);
        assertThat(signatures).containsOnly(true);
        assertThat(fingerprints(digestFor(first, Optional.of("payments")))).containsExactly(owned);
        assertThat(fingerprints(digestFor(first, Optional.empty()))).contains(unowned).doesNotContain(owned);

        t.clock.advance(Duration.ofDays(1));
        t.server.inventory().alertNow();
        List<JsonNode> all = List.copyOf(digests);
        assertThat(all).hasSize(4);
        List<JsonNode> second = all.subList(2, 4);
        assertThat(fingerprints(digestFor(second, Optional.of("payments")))).containsExactly(owned);
        assertThat(fingerprints(digestFor(second, Optional.empty()))).contains(unowned).doesNotContain(owned);
        List<String> expired = new ArrayList<>();
        second.forEach(d -> d.get("certificates").forEach(c -> {
            if (c.get("status").asString().equals("expired")) {
                expired.add(c.get("fingerprint").asString());
            }
        }));
        assertThat(expired).containsExactlyInAnyOrder(owned, unowned);
    }
}
