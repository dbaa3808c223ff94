package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Pem;
import io.certwright.core.KeyAlgorithm;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.server.inventory.InventoryService;
import io.certwright.testing.TestCa;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// Scheduled scans and the background ledger sync of a real server: the server scans its own HTTPS listener,
/// a closed port and a directory of certificates, and follows its ledger every second.
class InventoryScanTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    static TestServer t;
    static int port;
    static int closedPort;
    static X509Certificate inFile;

    @BeforeAll
    static void start() throws Exception {
        port = freePort();
        closedPort = freePort();
        Path certs = Files.createDirectories(dir.resolve("certs"));
        IssuedCertificate foreign = TestCa.create(KeyAlgorithm.P256, Optional.empty(),
                java.time.Clock.systemUTC()).issueServer(Duration.ofDays(30), "app.example.com");
        inFile = foreign.certificate();
        Files.writeString(certs.resolve("app.pem"), Pem.certificates(foreign.fullChain()));
        t = new TestServer(dir.resolve("data"), Map.of(
                "CERTWRIGHT_INVENTORY_SCAN_TARGETS", "127.0.0.1:" + port + ",127.0.0.1:" + closedPort,
                "CERTWRIGHT_INVENTORY_SCAN_FILES", certs.toString(),
                "CERTWRIGHT_INVENTORY_SCAN_INTERVAL", "1d",
                "CERTWRIGHT_INVENTORY_SCAN_TIMEOUT", "5s",
                "CERTWRIGHT_INVENTORY_SYNC_INTERVAL", "1s",
                "CERTWRIGHT_ALERTING_INTERVAL", "1d"), "127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        if (t != null) {
            t.close();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aScheduledScanRecordsEndpointsAndFilesAndCountsErrorsPerTargetSet() throws Exception {
        InventoryService.ScanSummary scan = t.server.inventory().scanNow();
        assertThat(scan.findings()).isGreaterThanOrEqualTo(2);
        assertThat(scan.errors()).isEqualTo(1);
        assertThat(scan.rejected()).isZero();
        t.server.inventory().syncIssued();

        String own = EncodedCertificate.of(t.server.serverCertificate()).fingerprint().hex();
        JsonNode item = JSON.readTree(t.get("/api/v1/inventory/" + own, t.adminToken).body());
        assertThat(item.get("source").asString()).isEqualTo("issued");
        JsonNode place = item.get("places").get(0);
        assertThat(place.get("place").asString()).isEqualTo("tls://127.0.0.1:" + port);
        assertThat(place.get("tls").get("chain_trusted").asBoolean()).isTrue();
        assertThat(place.get("tls").get("hostname_matches").asBoolean()).isTrue();

        String fileFp = EncodedCertificate.of(inFile).fingerprint().hex();
        JsonNode file = JSON.readTree(t.get("/api/v1/inventory/" + fileFp, t.adminToken).body());
        assertThat(file.get("source").asString()).isEqualTo("discovered");
        assertThat(file.get("places").get(0).get("place").asString()).endsWith("app.pem");

        String scrape = t.get("/metrics", "").body();
        assertThat(scrape).containsPattern("certwright_scan_errors_total\\{target_set=\"tls\"} [1-9]")
                .contains("certwright_scan_errors_total{target_set=\"files\"} 0")
                .contains("certwright_scan_last_success_timestamp_seconds{target_set=\"tls\"}")
                .contains("certwright_scan_last_success_timestamp_seconds{target_set=\"files\"}");
        InventoryAlertingTest.promtoolAccepts(scrape);
    }

    @Test
    void theBackgroundSyncBringsIssuedCertificatesInWithoutBeingAsked() throws Exception {
        KeyPair key = TestServer.newKey();
        var r = t.post("/api/v1/certificates", t.adminToken, "{\"csr\":" + JSON.writeValueAsString(TestServer.csr(key,
                ServerApiTest.dns("background.internal"))) + ",\"profile\":\"server\",\"ttl\":\"1h\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        X509Certificate cert = TestServer.certificates(JSON.readTree(r.body()).get("certificate").asString()).getFirst();
        String fp = EncodedCertificate.of(cert).fingerprint().hex();
        List<Integer> statuses = new ArrayList<>();
        // The sync runs every second; wait for it (bounded), never asking it to run.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status;
        do {
            status = t.get("/api/v1/inventory/" + fp, t.adminToken).statusCode();
            statuses.add(status);
            if (status != 200) {
                Thread.sleep(200);
            }
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).as("statuses seen: %s", statuses).isEqualTo(200);
    }
}
