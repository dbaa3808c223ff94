package io.certwright.acme.engine;

import static io.certwright.acme.engine.AcmeClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.AccountStatus;
import io.certwright.acme.store.Authorization;
import io.certwright.acme.store.ChallengeStatus;
import io.certwright.acme.validation.TestDnsServer;
import io.certwright.acme.validation.ValidationSettings;
import io.certwright.acme.validation.Validators;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.core.KeyAlgorithm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/// Challenges left `processing` by a server that stopped while validating them are validated again by a
/// server on the same store, once their validation has run longer than the time limit plus a margin, with
/// real http-01 validation against an HTTP responder on loopback and names from a test DNS server. A
/// server looks for them while it is constructed, so each test knows the first sweep is over.
class StalledValidationsTest {

    private static final String NAME = "stalled.test";
    private static final String PREFIX = "/.well-known/acme-challenge/";
    private static final Duration TIME_LIMIT = Duration.ofSeconds(5);
    /// Past this, a validation started at the test's start counts as stalled.
    private static final Duration STALLED = TIME_LIMIT.plus(StalledValidations.MARGIN).plusSeconds(1);

    private AcmeHarness h;
    private TestDnsServer dns;
    private HttpServer responder;
    private ValidationSettings validation;
    private final Map<String, String> keyAuthorizations = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstRequest = new CountDownLatch(1);
    private final CountDownLatch answerFirst = new CountDownLatch(1);
    private final List<AcmeServer> servers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        h = new AcmeHarness();
        dns = TestDnsServer.start();
        dns.a(NAME, "127.0.0.1");
        responder = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 0);
        responder.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // The first request hangs until the test lets it answer, so its validation is under way when its
        // server closes; later ones answer at once.
        responder.createContext(PREFIX, exchange -> {
            String token = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
            requests.add(token);
            if (requests.size() == 1) {
                firstRequest.countDown();
                try {
                    answerFirst.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = keyAuthorizations.getOrDefault(token, "").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        responder.start();
        validation = ValidationSettings.defaults().withDnsServer(dns.hostPort())
                .withHttp01Port(responder.getAddress().getPort()).withTimeout(TIME_LIMIT);
    }

    @AfterEach
    void stop() {
        answerFirst.countDown();
        servers.forEach(AcmeServer::close);
        responder.stop(0);
        dns.close();
        h.close();
    }

    private AcmeServer server() {
        AcmeServer s = h.newServer(new Validators(validation));
        servers.add(s);
        return s;
    }

    private AcmeServer server(Duration sweep) {
        AcmeServer s = h.newServer(new Validators(validation), sweep);
        servers.add(s);
        return s;
    }

    private static AcmeClient clientOf(AcmeServer server, AcmeClient account) throws Exception {
        AcmeClient c = new AcmeClient(server, AcmeHarness.BASE, "main", KeyAlgorithm.P256, "192.0.2.1");
        c.keys = account.keys;
        c.kid = account.kid;
        return c;
    }

    /// An authorization whose http-01 challenge was responded to on a server that then closed while the
    /// validation waited for the HTTP answer: its URL, left `processing`.
    private String leftProcessingByAClosedServer(AcmeClient onFirst) throws Exception {
        JsonNode order = json(onFirst.newOrder(NAME));
        String authzUrl = order.get("authorizations").get(0).asString();
        JsonNode http = http01(json(onFirst.postAsGet(authzUrl)));
        keyAuthorizations.put(http.get("token").asString(), http.get("token").asString() + "."
                + onFirst.thumbprint());
        AcmeResponse responded = onFirst.post(http.get("url").asString(), "{}");
        assertThat(json(responded).get("status").asString()).isEqualTo("processing");
        assertThat(firstRequest.await(30, TimeUnit.SECONDS)).as("the validation reached the responder").isTrue();
        onFirst.server.close();
        answerFirst.countDown();
        return authzUrl;
    }

    private static JsonNode http01(JsonNode authz) {
        for (JsonNode ch : authz.get("challenges")) {
            if ("http-01".equals(ch.get("type").asString())) {
                return ch;
            }
        }
        throw new AssertionError("no http-01 challenge in " + authz);
    }

    private Authorization stored(String authzUrl) throws Exception {
        return h.store.authorization(authzUrl.substring(authzUrl.lastIndexOf('/') + 1)).orElseThrow();
    }

    private List<AuditEvent> restarts() {
        return h.audit.events().stream().filter(e -> e.action().equals(StalledValidations.ACTION)).toList();
    }

    @Test
    void aChallengeLeftProcessingByAClosedServerIsValidatedAgainByTheNextServerOnTheStoreAndEndsValid()
            throws Exception {
        AcmeServer first = server();
        AcmeClient c = clientOf(first, h.account());
        String authzUrl = leftProcessingByAClosedServer(c);
        assertThat(stored(authzUrl).challenges()).anyMatch(ch -> ch.status() == ChallengeStatus.PROCESSING);
        h.clock.advance(STALLED);

        AcmeClient next = clientOf(server(), c);
        JsonNode authz = next.awaitAuthorization(authzUrl);

        assertThat(authz.get("status").asString()).isEqualTo("valid");
        JsonNode http = http01(authz);
        assertThat(http.get("status").asString()).isEqualTo("valid");
        assertThat(requests).hasSize(2).containsOnly(http.get("token").asString());
        assertThat(restarts()).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("identifier", NAME).containsEntry("type", "http-01"));
        assertThat(h.audit.events()).filteredOn(e -> e.action().equals("acme.challenge.validate"))
                .singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS));
    }

    @Test
    void aChallengeWhoseValidationStartedRecentlyIsLeftAloneUntilItHasRunPastTheTimeLimitAndMargin()
            throws Exception {
        AcmeServer first = server();
        AcmeClient c = clientOf(first, h.account());
        String authzUrl = leftProcessingByAClosedServer(c);
        h.clock.advance(STALLED.minusSeconds(2));
        AcmeServer next = server();

        assertThat(next.restartStalledValidations()).isZero();
        assertThat(stored(authzUrl).challenges()).anyMatch(ch -> ch.status() == ChallengeStatus.PROCESSING);
        assertThat(requests).hasSize(1);
        assertThat(restarts()).isEmpty();

        h.clock.advance(Duration.ofSeconds(2));
        assertThat(next.restartStalledValidations()).isOne();
        assertThat(clientOf(next, c).awaitAuthorization(authzUrl).get("status").asString()).isEqualTo("valid");
    }

    @Test
    void ofTwoServersLookingForStalledValidationsAtOnceExactlyOneValidatesAgain() throws Exception {
        AcmeClient c = clientOf(server(), h.account());
        String authzUrl = leftProcessingByAClosedServer(c);
        h.clock.advance(STALLED);

        AcmeServer one = server();
        AcmeServer two = server();
        assertThat(clientOf(one, c).awaitAuthorization(authzUrl).get("status").asString()).isEqualTo("valid");

        assertThat(one.restartStalledValidations() + two.restartStalledValidations()).isZero();
        assertThat(restarts()).hasSize(1);
        assertThat(requests).hasSize(2);
    }

    @Test
    void aRunningServerLooksForStalledValidationsAgainPeriodically() throws Exception {
        AcmeClient c = clientOf(server(), h.account());
        String authzUrl = leftProcessingByAClosedServer(c);
        AcmeServer next = server(Duration.ofMillis(50));
        assertThat(next.restartStalledValidations()).isZero();

        h.clock.advance(STALLED);

        assertThat(clientOf(next, c).awaitAuthorization(authzUrl).get("status").asString()).isEqualTo("valid");
        assertThat(restarts()).hasSize(1);
    }

    @Test
    void aStalledValidationOfADeactivatedAccountEndsInvalidInsteadOfRunning() throws Exception {
        AcmeClient c = clientOf(server(), h.account());
        String authzUrl = leftProcessingByAClosedServer(c);
        String kid = c.kid.orElseThrow();
        Account account = h.store.account(kid.substring(kid.lastIndexOf('/') + 1)).orElseThrow();
        assertThat(h.store.updateAccount(account.withStatus(AccountStatus.DEACTIVATED))).isTrue();
        h.clock.advance(STALLED);

        AcmeServer next = server();

        Authorization a = stored(authzUrl);
        assertThat(a.status().wire()).isEqualTo("invalid");
        assertThat(a.challenges()).anySatisfy(ch -> {
            assertThat(ch.status()).isEqualTo(ChallengeStatus.INVALID);
            assertThat(ch.error().orElseThrow()).contains("deactivated");
        });
        assertThat(requests).hasSize(1);
        assertThat(next.restartStalledValidations()).isZero();
    }
}
