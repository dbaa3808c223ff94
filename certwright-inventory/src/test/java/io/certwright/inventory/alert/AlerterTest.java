package io.certwright.inventory.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.inventory.CertificateFacts;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InMemoryInventoryStore;
import io.certwright.inventory.Inventory;
import io.certwright.inventory.OwnershipRules;
import io.certwright.inventory.Place;
import io.certwright.inventory.TestCertificates;
import io.certwright.inventory.status.InventoryStatuses;
import io.certwright.inventory.status.RenewalPolicy;
import io.certwright.inventory.status.ThresholdPolicy;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class AlerterTest {

    private static final Instant NOT_BEFORE = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2030-04-01T00:00:00Z");
    private static final Secret SECRET = Secret.of("webhook-shared-secret");

    private final TestClock clock = new TestClock(NOT_BEFORE);
    private final List<Duration> slept = new ArrayList<>();
    private final Sleeper sleeper = d -> {
        slept.add(d);
        clock.advance(d);
    };
    private final InMemoryAlertStateStore state = new InMemoryAlertStateStore();
    private final InMemorySilenceStore silences = new InMemorySilenceStore();
    private final InMemoryDeliveryLog log = new InMemoryDeliveryLog(100);
    private final Inventory inventory = new Inventory(new InMemoryInventoryStore(), OwnershipRules.none(), clock);
    private final InventoryStatuses statuses = new InventoryStatuses(ThresholdPolicy.standard(),
            RenewalPolicy.defaults());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private WebhookReceiver receiver;
    private WebhookChannel webhook;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        webhook = new WebhookChannel("ops", receiver.uri("/hooks/certwright"), SECRET, http, clock,
                Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private Alerter alerter(RetryPolicy retry, AlertChannel... channels) {
        Deliverer deliverer = new Deliverer(retry, sleeper, RandomGenerator.of("L64X128MixRandom"), log, clock);
        return new Alerter(state, silences, AlertRouting.everythingTo(List.of(channels)), deliverer, clock);
    }

    private Alerter alerter() {
        return alerter(new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.0), webhook);
    }

    private Alerter.RunSummary runAt(Alerter alerter, Instant now) {
        clock.set(now);
        return alerter.run(statuses.compute(inventory.entries(), now));
    }

    private X509Certificate seen(String dns, Place place) {
        X509Certificate cert = TestCertificates.leaf().dns(dns).validity(NOT_BEFORE, NOT_AFTER).build();
        inventory.recordSeen(List.of(cert), place, NOT_BEFORE, Optional.empty());
        return cert;
    }

    private static JsonNode json(WebhookReceiver.Received r) {
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void alertIsSentOncePerCertificateAndThresholdAcrossRestarts() {
        seen("api.example.com", Place.Endpoint.of("api.example.com", 443));
        Instant at20Days = NOT_AFTER.minus(Duration.ofDays(20));

        assertThat(runAt(alerter(), at20Days).delivered()).isEqualTo(1);
        assertThat(runAt(alerter(), at20Days.plusSeconds(300)).delivered()).isZero();
        // A new Alerter over the same state store is a restarted (or another) replica.
        assertThat(runAt(alerter(), at20Days.plusSeconds(600)).delivered()).isZero();

        assertThat(receiver.received()).hasSize(1);
        JsonNode body = json(receiver.received().getFirst());
        assertThat(body.get("kind").asString()).isEqualTo("expiring");
        assertThat(body.get("escalation").asBoolean()).isFalse();
        assertThat(body.get("certificates").get(0).get("thresholdSeconds").asLong())
                .isEqualTo(Duration.ofDays(30).toSeconds());
    }

    @Test
    void webhookCarriesAnHmacOverTimestampAndBodyThatTheReceiverCanVerify() throws Exception {
        seen("api.example.com", Place.Endpoint.of("api.example.com", 443));
        Instant now = NOT_AFTER.minus(Duration.ofDays(20));
        runAt(alerter(), now);

        WebhookReceiver.Received r = receiver.received().getFirst();
        String timestamp = r.header(WebhookSignature.TIMESTAMP_HEADER).orElseThrow();
        String signature = r.header(WebhookSignature.SIGNATURE_HEADER).orElseThrow();
        assertThat(timestamp).isEqualTo(Long.toString(now.getEpochSecond()));
        assertThat(r.header("Content-Type")).contains("application/json");
        assertThat(r.header(WebhookSignature.DELIVERY_HEADER)).isPresent();

        // Computed here independently of WebhookSignature.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("webhook-shared-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        assertThat(signature).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body())));

        assertThat(WebhookSignature.verify(SECRET, Optional.of(timestamp), Optional.of(signature), r.body(), now,
                Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify(Secret.of("other"), Optional.of(timestamp), Optional.of(signature),
                r.body(), now, Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void crossingAWorseThresholdEscalatesOnceAndSkippedThresholdsAreNotSentLate() {
        seen("api.example.com", Place.Endpoint.of("api.example.com", 443));
        runAt(alerter(), NOT_AFTER.minus(Duration.ofDays(20)));
        // Down from 20 days to 2 days left: the 14, 7 and 3 day thresholds were crossed; only 3 days is sent.
        assertThat(runAt(alerter(), NOT_AFTER.minus(Duration.ofDays(2))).delivered()).isEqualTo(1);

        List<WebhookReceiver.Received> got = receiver.received();
        assertThat(got).hasSize(2);
        JsonNode escalation = json(got.get(1));
        assertThat(escalation.get("escalation").asBoolean()).isTrue();
        assertThat(escalation.get("severity").asString()).isEqualTo("critical");
        assertThat(escalation.get("certificates").get(0).get("thresholdSeconds").asLong())
                .isEqualTo(Duration.ofDays(3).toSeconds());
        assertThat(escalation.get("title").asString()).startsWith("Escalation:");
    }

    @Test
    void resolutionNoticeIsSentOnceWhenAnAlertedCertificateIsReplaced() {
        Place place = Place.Endpoint.of("api.example.com", 443);
        seen("api.example.com", place);
        runAt(alerter(), NOT_AFTER.minus(Duration.ofDays(10)));

        X509Certificate renewed = TestCertificates.leaf().dns("api.example.com")
                .validity(NOT_AFTER.minus(Duration.ofDays(9)), NOT_AFTER.plus(Duration.ofDays(80))).build();
        inventory.recordSeen(List.of(renewed), place, NOT_AFTER.minus(Duration.ofDays(8)), Optional.empty());
        assertThat(runAt(alerter(), NOT_AFTER.minus(Duration.ofDays(8))).delivered()).isEqualTo(1);
        assertThat(runAt(alerter(), NOT_AFTER.plus(Duration.ofDays(1))).delivered()).isZero();

        List<WebhookReceiver.Received> got = receiver.received();
        assertThat(got).hasSize(2);
        assertThat(json(got.get(1)).get("kind").asString()).isEqualTo("resolved");
        assertThat(json(got.get(1)).get("severity").asString()).isEqualTo("info");
    }

    @Test
    void aCertificateNeverAlertedOnGetsNoResolutionNotice() {
        X509Certificate cert = seen("quiet.example.com", new Place.File("/etc/quiet.pem"));
        inventory.markRevoked(CertificateFacts.of(cert).fingerprint(), NOT_BEFORE.plusSeconds(1));
        assertThat(runAt(alerter(), NOT_AFTER.minus(Duration.ofDays(2))).delivered()).isZero();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void silenceOfAnOwnerHoldsAlertsBackUntilItEnds() {
        X509Certificate cert = seen("pay.example.com", Place.Endpoint.of("pay.example.com", 443));
        Fingerprint fp = CertificateFacts.of(cert).fingerprint();
        inventory.assignOwner(fp, "payments", Map.of());
        Instant now = NOT_AFTER.minus(Duration.ofDays(20));
        silences.add(new Silence(UUID.randomUUID(), new Silence.OwnerTarget("payments"), now.plus(Duration.ofDays(2)),
                "migration"));

        assertThat(runAt(alerter(), now).silenced()).isEqualTo(1);
        assertThat(receiver.received()).isEmpty();

        assertThat(runAt(alerter(), now.plus(Duration.ofDays(3))).delivered()).isEqualTo(1);
    }

    @Test
    void silenceOfOneCertificateLeavesOthersAlone() {
        X509Certificate a = seen("a.example.com", Place.Endpoint.of("a", 443));
        X509Certificate b = TestCertificates.leaf().dns("b.example.com").key(TestCertificates.ecKey())
                .validity(NOT_BEFORE, NOT_AFTER).build();
        inventory.recordSeen(List.of(b), Place.Endpoint.of("b", 443), NOT_BEFORE, Optional.empty());
        Instant now = NOT_AFTER.minus(Duration.ofDays(20));
        silences.add(new Silence(UUID.randomUUID(), new Silence.CertificateTarget(CertificateFacts.of(a).fingerprint()),
                now.plus(Duration.ofDays(1)), "known"));

        Alerter.RunSummary summary = runAt(alerter(), now);
        assertThat(summary.delivered()).isEqualTo(1);
        assertThat(summary.silenced()).isEqualTo(1);
        assertThat(json(receiver.received().getFirst()).get("certificates").get(0).get("fingerprint").asString())
                .isEqualTo(CertificateFacts.of(b).fingerprint().hex());
    }

    @Test
    void failingReceiverIsRetriedWithExponentialBackoffThenLoggedAndTriedAgainNextRun() {
        seen("api.example.com", Place.Endpoint.of("api.example.com", 443));
        receiver.respondWith(503);
        Instant now = NOT_AFTER.minus(Duration.ofDays(20));

        Alerter.RunSummary first = runAt(alerter(), now);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(3);
        assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        DeliveryRecord failed = log.recent(1).getFirst();
        assertThat(failed.outcome()).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.error()).contains("HTTP 503");
        assertThat(failed.channelType()).isEqualTo("webhook");

        receiver.respondWith(204);
        assertThat(runAt(alerter(), now.plusSeconds(300)).delivered()).isEqualTo(1);
        assertThat(log.recent(1).getFirst().outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(runAt(alerter(), now.plusSeconds(600)).delivered()).isZero();
    }

    @Test
    void aClientErrorIsNotRetried() {
        seen("api.example.com", Place.Endpoint.of("api.example.com", 443));
        receiver.respondWith(400);
        runAt(alerter(), NOT_AFTER.minus(Duration.ofDays(20)));
        assertThat(receiver.received()).hasSize(1);
        assertThat(log.recent(1).getFirst().attempts()).isEqualTo(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void anUnreachableReceiverIsLoggedAsFailedWithoutCrashing() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        WebhookChannel dead = new WebhookChannel("dead", java.net.URI.create("http://127.0.0.1:" + closedPort + "/"),
                SECRET, http, clock, Duration.ofSeconds(5));
        seen("api.example.com", Place.Endpoint.of("api.example.com", 443));
        Alerter.RunSummary s = runAt(alerter(new RetryPolicy(2, Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 0),
                dead), NOT_AFTER.minus(Duration.ofDays(20)));
        assertThat(s.failed()).isEqualTo(1);
        assertThat(log.recent(1).getFirst().error().orElseThrow()).startsWith("I/O error");
    }

    @Test
    void slackChannelPostsTextOnlyAndLogsNoSecretPath() {
        SlackChannel slack = new SlackChannel("chat", receiver.uri("/services/T000/B000/secret-token"), http,
                Duration.ofSeconds(10));
        seen("api.example.com", Place.Endpoint.of("api.example.com", 443));
        runAt(alerter(RetryPolicy.defaults(), slack), NOT_AFTER.minus(Duration.ofDays(20)));

        JsonNode body = json(receiver.received().getFirst());
        assertThat(body.propertyNames()).containsExactly("text");
        assertThat(body.get("text").asString()).contains("api.example.com").contains("expires in");
        assertThat(log.recent(1).getFirst().target()).doesNotContain("secret-token");
        assertThat(slack.toString()).doesNotContain("secret-token");
    }

    @Test
    void renewalOverdueIsAlertedForIssuedCertificates() {
        X509Certificate svid = TestCertificates.leaf().uri("spiffe://example.org/api")
                .validity(NOT_BEFORE, NOT_BEFORE.plus(Duration.ofDays(300))).build();
        inventory.recordIssued(svid, List.of());
        runAt(alerter(), NOT_BEFORE.plus(Duration.ofDays(210)));
        assertThat(receiver.received()).hasSize(1);
        assertThat(json(receiver.received().getFirst()).get("kind").asString()).isEqualTo("renewal-overdue");
    }

    @Test
    void digestGoesToEachOwnerOncePerDay() {
        X509Certificate a = seen("a.example.com", Place.Endpoint.of("a", 443));
        X509Certificate b = TestCertificates.leaf().dns("b.example.com").key(TestCertificates.ecKey())
                .validity(NOT_BEFORE, NOT_AFTER).build();
        inventory.recordSeen(List.of(b), Place.Endpoint.of("b", 443), NOT_BEFORE, Optional.empty());
        inventory.assignOwner(CertificateFacts.of(a).fingerprint(), "payments", Map.of());
        inventory.assignOwner(CertificateFacts.of(b).fingerprint(), "payments", Map.of());
        Instant now = NOT_AFTER.minus(Duration.ofDays(10));
        Alerter alerter = alerter();

        clock.set(now);
        assertThat(alerter.sendDigests(statuses.compute(inventory.entries(), now)).delivered()).isEqualTo(1);
        assertThat(alerter.sendDigests(statuses.compute(inventory.entries(), now)).delivered()).isZero();
        clock.set(now.plus(Duration.ofDays(1)));
        assertThat(alerter.sendDigests(statuses.compute(inventory.entries(), now)).delivered()).isEqualTo(1);

        JsonNode digest = json(receiver.received().getFirst());
        assertThat(digest.get("kind").asString()).isEqualTo("digest");
        assertThat(digest.get("owner").asString()).isEqualTo("payments");
        assertThat(digest.get("certificates")).hasSize(2);
    }

    @Test
    void ofManyConcurrentClaimsOfOneKeyExactlyOneWins() throws Exception {
        int threads = 16;
        List<Thread> started = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wins = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < threads; i++) {
            started.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (state.tryClaim(new AlertClaim("expiring|x|1|ops", "x", AlertKind.EXPIRING, "ops",
                        NOT_BEFORE))) {
                    wins.incrementAndGet();
                }
            }));
        }
        go.countDown();
        for (Thread t : started) {
            t.join();
        }
        assertThat(wins.get()).isEqualTo(1);
    }
}
