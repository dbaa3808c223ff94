package io.certwright.acme.engine;

import static io.certwright.acme.engine.AcmeClient.json;
import static io.certwright.acme.engine.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.AcmeSettings;
import io.certwright.acme.validation.ValidationOutcome;
import io.certwright.core.KeyAlgorithm;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/// Rate limits (per replica, fixed windows on the injected clock) and the properties replicas rely on.
class LimitsAndReplicasTest {

    private AcmeHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new AcmeHarness(s -> s.withRateLimits(new AcmeSettings.RateLimits(2, 100, 2, 1, Duration.ofHours(1))));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void newOrdersBeyondTheAccountLimitAreRateLimitedUntilTheWindowEnds() throws Exception {
        AcmeClient c = h.account();
        assertThat(c.newOrder("a.example.com").status()).isEqualTo(201);
        h.clock.advance(Duration.ofMinutes(20));
        assertThat(c.newOrder("b.example.com").status()).isEqualTo(201);
        AcmeResponse limited = c.newOrder("c.example.com");
        assertRefused(h, limited, AcmeProblemType.RATE_LIMITED, 429);
        assertThat(limited.header("Retry-After")).contains("2400");
        h.clock.advance(Duration.ofMinutes(40));
        assertThat(c.newOrder("c.example.com").status()).isEqualTo(201);
    }

    @Test
    void newAccountsBeyondTheAddressLimitAreRateLimited() throws Exception {
        h.account();
        h.account();
        AcmeClient third = h.client(KeyAlgorithm.P256);
        AcmeResponse r = third.postWithJwk(third.url("new-account"), "{}");
        assertRefused(h, r, AcmeProblemType.RATE_LIMITED, 429);
        assertThat(r.header("Retry-After")).contains("3600");
        AcmeClient elsewhere = new AcmeClient(h.server, AcmeHarness.BASE, "main", KeyAlgorithm.P256, "198.51.100.7");
        assertThat(elsewhere.postWithJwk(elsewhere.url("new-account"), "{}").status()).isEqualTo(201);
    }

    @Test
    void failedValidationsBeyondTheLimitBlockFurtherChallengesForThatIdentifier() throws Exception {
        h.validator.answer("flaky.example.com", new ValidationOutcome.Invalid(AcmeProblemType.CONNECTION,
                "connection refused"));
        AcmeClient c = h.account();
        c.authorize(json(c.newOrder("flaky.example.com")), "http-01");
        JsonNode order = json(c.newOrder("flaky.example.com"));
        JsonNode authz = json(c.postAsGet(order.get("authorizations").get(0).asString()));
        AcmeResponse r = c.post(authz.get("challenges").get(0).get("url").asString(), "{}");
        assertRefused(h, r, AcmeProblemType.RATE_LIMITED, 429);
        assertThat(r.header("Retry-After")).isPresent();
        assertThat(h.validator.attempts()).hasSize(1);
    }

    @Test
    void aReplayedNewOrderDoesNotUseUpTheAccountsNewOrderLimit() throws Exception {
        AcmeClient c = h.account();
        ObjectNode header = c.header(c.url("new-order"), false);
        byte[] body = AcmeClient.jws(header, AcmeClient.identifiers("first.example.com"), c.algorithm,
                c.keys.getPrivate());
        assertThat(c.send(c.url("new-order"), body, AcmeClient.JOSE).status()).isEqualTo(201);
        assertRefused(h, c.send(c.url("new-order"), body, AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);

        assertThat(c.newOrder("second.example.com").status()).isEqualTo(201);
        assertRefused(h, c.newOrder("third.example.com"), AcmeProblemType.RATE_LIMITED, 429);
    }

    @Test
    void aNonceFromOneReplicaIsAcceptedByAnotherExactlyOnce() throws Exception {
        AcmeClient c = h.account();
        try (AcmeServer replica = h.newServer()) {
            AcmeClient onReplica = new AcmeClient(replica, AcmeHarness.BASE, "main", KeyAlgorithm.P256, "192.0.2.1");
            onReplica.keys = c.keys;
            onReplica.kid = c.kid;
            ObjectNode header = c.header(c.url("new-order"), false);
            byte[] body = AcmeClient.jws(header, AcmeClient.identifiers("ha.example.com"), c.algorithm,
                    c.keys.getPrivate());
            assertThat(onReplica.send(c.url("new-order"), body, AcmeClient.JOSE).status()).isEqualTo(201);
            assertRefused(h, onReplica.send(c.url("new-order"), body, AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);
            assertRefused(h, c.send(c.url("new-order"), body, AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);
        }
    }

    @Test
    void anOrderPlacedOnOneReplicaIsFinalizedOnAnother() throws Exception {
        AcmeClient c = h.account();
        JsonNode order = json(c.newOrder("moved.example.com"));
        c.authorize(order, "http-01");
        try (AcmeServer replica = h.newServer()) {
            AcmeClient onReplica = new AcmeClient(replica, AcmeHarness.BASE, "main", KeyAlgorithm.P256, "192.0.2.1");
            onReplica.keys = c.keys;
            onReplica.kid = c.kid;
            AcmeResponse r = onReplica.finalizeOrder(order, AcmeClient.csr(
                    io.certwright.testing.TestCa.keyPair(KeyAlgorithm.P256), KeyAlgorithm.P256,
                    java.util.List.of("moved.example.com"), java.util.List.of(), Optional.empty()));
            assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        }
    }

    private static AcmeClient sameAccountOn(AcmeServer replica, AcmeClient c) throws Exception {
        AcmeClient onReplica = new AcmeClient(replica, AcmeHarness.BASE, "main", KeyAlgorithm.P256, "192.0.2.1");
        onReplica.keys = c.keys;
        onReplica.kid = c.kid;
        return onReplica;
    }

    @Test
    void anAccountDeactivatedOnOneReplicaIsRefusedByAnotherThatAuthenticatedItBefore() throws Exception {
        AcmeClient c = h.account();
        String accountId = c.kid.orElseThrow().substring(c.kid.orElseThrow().lastIndexOf('/') + 1);
        try (AcmeServer replica = h.newServer()) {
            AcmeClient onReplica = sameAccountOn(replica, c);
            assertThat(onReplica.newOrder("before.example.com").status()).isEqualTo(201);
            AcmeResponse deactivated = c.post(c.kid.orElseThrow(), "{\"status\":\"deactivated\"}");
            assertThat(json(deactivated).get("status").asString()).isEqualTo("deactivated");

            assertRefused(h, onReplica.newOrder("after.example.com"), AcmeProblemType.UNAUTHORIZED, 403);
            assertRefused(h, onReplica.postAsGet(c.url("orders/" + accountId)),
                    AcmeProblemType.UNAUTHORIZED, 403);
            assertThat(h.store.orderIds(accountId, Optional.empty(), 100)).hasSize(1);
        }
    }

    @Test
    void afterAKeyRolloverOnOneReplicaAnotherRefusesTheOldKeyAsTheFirstDoesAndAcceptsTheNew() throws Exception {
        AcmeClient c = h.account();
        try (AcmeServer replica = h.newServer()) {
            AcmeClient onReplica = sameAccountOn(replica, c);
            assertThat(onReplica.newOrder("before.example.com").status()).isEqualTo(201);
            java.security.KeyPair old = c.keys;
            java.security.KeyPair next = io.certwright.testing.TestCa.keyPair(KeyAlgorithm.P256);
            assertThat(c.post(c.url("key-change"), AccountTest.keyChange(c, next, KeyAlgorithm.P256,
                    c.kid.orElseThrow())).status()).isEqualTo(200);

            AcmeResponse onFirst = c.newOrder("old-key.example.com");
            assertThat(onFirst.status()).as(onFirst.bodyText()).isBetween(400, 499);
            String refusal = json(onFirst).get("type").asString();
            AcmeResponse onSecond = onReplica.newOrder("old-key.example.com");
            assertThat(onSecond.status()).as(onSecond.bodyText()).isEqualTo(onFirst.status());
            assertThat(json(onSecond).get("type").asString()).isEqualTo(refusal);
            assertThat(old).isSameAs(onReplica.keys);

            onReplica.keys = next;
            assertThat(onReplica.newOrder("new-key.example.com").status()).isEqualTo(201);
        }
    }
}
