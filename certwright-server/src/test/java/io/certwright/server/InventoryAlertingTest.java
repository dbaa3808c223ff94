package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.inventory.alert.Secret;
import io.certwright.inventory.alert.WebhookSignature;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// Alerting and metrics end to end: a server configured with a webhook (a real JDK HTTP server that checks
/// the HMAC signature of every request) and email (GreenMail as the SMTP server, with a login); the scrape of
/// its `/metrics` is checked by `promtool check metrics`.
class InventoryAlertingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WEBHOOK_SECRET = "webhook-secret-7f3a";
    private static final String SMTP_PASSWORD = "smtp-password-91b";
    private static final String SLACK_PATH = "slack-path-secret-5c";

    @TempDir
    static Path dir;
    static TestServer t;
    static HttpServer receiver;
    static GreenMail mail;
    static final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<JsonNode> slack = new ConcurrentLinkedQueue<>();

    /// One webhook request as the receiver judged it.
    record Received(boolean signatureValid, JsonNode body) {
    }

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
            received.add(new Received(valid, JSON.readTree(body)));
            exchange.sendResponseHeaders(valid ? 204 : 401, -1);
            exchange.close();
        });
        receiver.createContext("/slack/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                slack.add(JSON.readTree(in.readAllBytes()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        mail.setUser("alerts@example.com", "certwright", SMTP_PASSWORD);
        int smtpPort = mail.getSmtp().getPort();
        t = new TestServer(dir.resolve("data"), Map.ofEntries(
                Map.entry("CERTWRIGHT_INVENTORY_SYNC_INTERVAL", "10m"),
                Map.entry("CERTWRIGHT_ALERTING_INTERVAL", "1d"),
                Map.entry("CERTWRIGHT_ALERTING_WEBHOOK_URL",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"),
                Map.entry("CERTWRIGHT_ALERTING_WEBHOOK_SECRET", WEBHOOK_SECRET),
                Map.entry("CERTWRIGHT_ALERTING_SMTP_HOST", "127.0.0.1"),
                Map.entry("CERTWRIGHT_ALERTING_SMTP_PORT", Integer.toString(smtpPort)),
                Map.entry("CERTWRIGHT_ALERTING_SMTP_SECURITY", "none"),
                Map.entry("CERTWRIGHT_ALERTING_SMTP_USERNAME", "certwright"),
                Map.entry("CERTWRIGHT_ALERTING_SMTP_PASSWORD", SMTP_PASSWORD),
                Map.entry("CERTWRIGHT_ALERTING_SMTP_FROM", "certwright@example.com"),
                Map.entry("CERTWRIGHT_ALERTING_SMTP_TO", "alerts@example.com"),
                Map.entry("CERTWRIGHT_ALERTING_SMTP_OWNER_TO", "payments=payments-oncall@example.com"),
                Map.entry("CERTWRIGHT_ALERTING_SLACK_URL",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/slack/T0/B0/" + SLACK_PATH)));
    }

    @AfterAll
    static void stop() {
        if (t != null) {
            t.close();
        }
        mail.stop();
        receiver.stop(0);
    }

    static X509Certificate issue(String dns) throws Exception {
        KeyPair key = TestServer.newKey();
        var r = t.post("/api/v1/certificates", t.adminToken, "{\"csr\":" + JSON.writeValueAsString(TestServer.csr(key,
                ServerApiTest.dns(dns))) + ",\"profile\":\"server\",\"ttl\":\"1h\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestServer.certificates(JSON.readTree(r.body()).get("certificate").asString()).getFirst();
    }

    private static List<Received> webhooksFor(String fingerprint) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) {
            if (r.body().get("certificates").get(0).get("fingerprint").asString().equals(fingerprint)) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void anExpiringIssuedCertificateAlertsOnceOverASignedWebhookAndEmailAndIsLoggedAndCounted() throws Exception {
        X509Certificate cert = issue("alerted.internal");
        String fp = EncodedCertificate.of(cert).fingerprint().hex();
        t.server.inventory().syncIssued();
        t.server.inventory().alertNow();
        t.server.inventory().alertNow();

        List<Received> hooks = webhooksFor(fp);
        assertThat(hooks).hasSize(1);
        assertThat(hooks.getFirst().signatureValid()).isTrue();
        assertThat(hooks.getFirst().body().get("kind").asString()).isEqualTo("expiring");
        assertThat(hooks.getFirst().body().get("severity").asString()).isEqualTo("critical");

        assertThat(mail.waitForIncomingEmail(TimeUnit.SECONDS.toMillis(30), 1)).isTrue();
        List<MimeMessage> messages = List.of(mail.getReceivedMessages());
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.getSubject()).contains("alerted.internal");
            assertThat(m.getAllRecipients()[0].toString()).isEqualTo("alerts@example.com");
        });

        JsonNode deliveries = JSON.readTree(t.get("/api/v1/alerts/deliveries", t.adminToken).body());
        List<String> channels = new ArrayList<>();
        deliveries.get("items").forEach(d -> {
            assertThat(d.get("outcome").asString()).isEqualTo("delivered");
            assertThat(d.get("target").asString()).doesNotContain(WEBHOOK_SECRET).doesNotContain(SMTP_PASSWORD);
            channels.add(d.get("channel_type").asString());
        });
        assertThat(channels).contains("webhook", "email", "slack");
        assertThat(deliveries.toString()).doesNotContain(SLACK_PATH);
        assertThat(slack).anySatisfy(m -> assertThat(m.get("text").asString()).contains("alerted.internal"));

        String scrape = t.get("/metrics", "").body();
        assertThat(scrape).contains("certwright_alert_deliveries_total{channel=\"webhook\",outcome=\"delivered\"}")
                .contains("certwright_alert_deliveries_total{channel=\"email\",outcome=\"failed\"} 0");
        assertThat(scrape).doesNotContain(WEBHOOK_SECRET).doesNotContain(SMTP_PASSWORD);
    }

    @Test
    void anOwnersAlertsGoToTheOwnersAddressInsteadOfTheDefaultRecipients() throws Exception {
        X509Certificate cert = issue("payments.internal");
        String fp = EncodedCertificate.of(cert).fingerprint().hex();
        t.server.inventory().syncIssued();
        var owned = t.send("PUT", "/api/v1/inventory/" + fp + "/owner", Optional.of(t.adminToken),
                Optional.of("application/json"), "{\"owner\":\"payments\"}", t.client);
        assertThat(owned.statusCode()).as(owned.body()).isEqualTo(200);
        t.server.inventory().alertNow();

        assertThat(webhooksFor(fp)).singleElement().satisfies(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.body().get("owner").asString()).isEqualTo("payments");
        });
        List<String> recipients = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            if (m.getSubject().contains("payments.internal")) {
                recipients.add(m.getAllRecipients()[0].toString());
            }
        }
        assertThat(recipients).containsExactly("payments-oncall@example.com");
    }

    @Test
    void theCertificateMetricsCarryEveryCertificateInUseAndTheOverdueOnesAndPassPromtool() throws Exception {
        X509Certificate cert = issue("metered.internal");
        String fp = EncodedCertificate.of(cert).fingerprint().hex();
        t.server.inventory().syncIssued();
        t.server.inventory().alertNow();
        String scrape = t.get("/metrics", "").body();
        assertThat(scrape).containsPattern("certwright_certificate_not_after_timestamp_seconds\\{fingerprint=\""
                + fp + "\",issuer=\"[^\"]+\",owner=\"\",source=\"issued\",subject=\"metered.internal\"} "
                + "[0-9.E+]+");
        assertThat(scrape).contains("certwright_certificates{status=\"expiring\"}");
        assertThat(scrape).doesNotContain("certwright_certificate_renewal_overdue{fingerprint=\"" + fp);

        // Past two thirds of its hour and not renewed: overdue.
        t.clock.advance(Duration.ofMinutes(45));
        try {
            t.server.inventory().alertNow();
            scrape = t.get("/metrics", "").body();
        } finally {
            t.clock.advance(Duration.ofMinutes(-45));
        }
        assertThat(scrape).contains("certwright_certificate_renewal_overdue{fingerprint=\"" + fp
                + "\",owner=\"\",subject=\"metered.internal\"} 1");
        promtoolAccepts(scrape);
    }

    /// Runs Debian's `promtool check metrics` (package `prometheus`) on a scrape; fails, never skips, when
    /// promtool is missing: CI installs it.
    static void promtoolAccepts(String scrape) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("promtool is not installed (apt-get install prometheus)", e);
        }
        try (var in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
