package io.certwright.acme.engine;

import static io.certwright.acme.engine.AcmeClient.json;
import static io.certwright.acme.engine.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.Concurrently;
import io.certwright.testing.TestCa;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OrderRulesTest {

    private AcmeHarness h;
    private AcmeClient c;

    @BeforeEach
    void start() throws Exception {
        h = new AcmeHarness();
        c = h.account();
    }

    @AfterEach
    void close() {
        h.close();
    }

    private JsonNode readyOrder(String... names) throws Exception {
        JsonNode order = json(c.newOrder(names));
        c.authorize(order, "http-01");
        return order;
    }

    private static byte[] csr(List<String> dns) throws Exception {
        return AcmeClient.csr(TestCa.keyPair(KeyAlgorithm.P256), KeyAlgorithm.P256, dns, List.of(), Optional.empty());
    }

    @Test
    void finalizeRefusesACsrWithAnExtraOrAMissingIdentifierNamingEach() throws Exception {
        JsonNode order = readyOrder("a.example.com", "b.example.com");
        JsonNode p = assertRefused(h, c.finalizeOrder(order, csr(List.of("a.example.com", "evil.example.com"))),
                AcmeProblemType.BAD_CSR, 400);
        assertThat(p.get("subproblems")).extracting(s -> s.get("identifier").get("value").asString())
                .containsExactlyInAnyOrder("b.example.com", "evil.example.com");
        assertRefused(h, c.finalizeOrder(order, csr(List.of("a.example.com"))), AcmeProblemType.BAD_CSR, 400);
        assertThat(h.issuer.issuedCount()).isZero();
        assertThat(c.finalizeOrder(order, csr(List.of("b.example.com", "a.example.com"))).status()).isEqualTo(200);
    }

    @Test
    void finalizeRefusesACommonNameOutsideTheOrder() throws Exception {
        JsonNode order = readyOrder("cn.example.com");
        byte[] der = AcmeClient.csr(TestCa.keyPair(KeyAlgorithm.P256), KeyAlgorithm.P256, List.of("cn.example.com"),
                List.of(), Optional.of("Some Service"));
        assertRefused(h, c.finalizeOrder(order, der), AcmeProblemType.BAD_CSR, 400);
        assertThat(h.issuer.issuedCount()).isZero();
    }

    @Test
    void finalizeRefusesACsrSignedWithTheAccountKey() throws Exception {
        JsonNode order = readyOrder("k.example.com");
        byte[] der = AcmeClient.csr(c.keys, KeyAlgorithm.P256, List.of("k.example.com"), List.of(), Optional.empty());
        assertRefused(h, c.finalizeOrder(order, der), AcmeProblemType.BAD_CSR, 400);
        assertThat(h.issuer.issuedCount()).isZero();
    }

    @Test
    void finalizeRefusesACsrThatDoesNotParse() throws Exception {
        JsonNode order = readyOrder("p.example.com");
        assertRefused(h, c.finalizeOrder(order, new byte[] {0x30, 0x03, 1, 2, 3}), AcmeProblemType.BAD_CSR, 400);
        assertRefused(h, c.post(order.get("finalize").asString(), "{\"csr\":\"***\"}"), AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void aCsrTheCaPolicyRefusesIsBadCsrWithTheCasReasonAndTheOrderBecomesInvalid() throws Exception {
        h.close();
        h = new AcmeHarness(null, UnaryOperator.identity(), AcmeHarness.NO_CAA_LOOKUPS,
                s -> s.withSanPolicy(new SanPolicy(List.of(DnsPattern.parse("*.example.com")), List.of(), List.of(),
                        List.of(), List.of())));
        c = h.account();
        JsonNode order = readyOrder("outside.test");
        String orderUrl = order.get("finalize").asString().replace("/finalize", "");
        JsonNode p = assertRefused(h, c.finalizeOrder(order, csr(List.of("outside.test"))), AcmeProblemType.BAD_CSR,
                400);
        assertThat(p.get("detail").asString()).startsWith("the CA refused the request: ").contains("outside.test");
        JsonNode after = json(c.postAsGet(orderUrl));
        assertThat(after.get("status").asString()).isEqualTo("invalid");
        assertThat(after.get("error").get("type").asString()).isEqualTo(AcmeProblemType.BAD_CSR.urn());
        assertThat(h.issuer.issuedCount()).isZero();
    }

    @Test
    void finalizeBeforeTheOrderIsReadyIsOrderNotReady() throws Exception {
        JsonNode order = json(c.newOrder("early.example.com"));
        assertRefused(h, c.finalizeOrder(order, csr(List.of("early.example.com"))), AcmeProblemType.ORDER_NOT_READY,
                403);
        assertThat(h.issuer.issuedCount()).isZero();
    }

    @Test
    void aValidOrderCannotBeFinalizedAgain() throws Exception {
        JsonNode order = readyOrder("twice.example.com");
        assertThat(c.finalizeOrder(order, csr(List.of("twice.example.com"))).status()).isEqualTo(200);
        assertRefused(h, c.finalizeOrder(order, csr(List.of("twice.example.com"))), AcmeProblemType.ORDER_NOT_READY,
                403);
        assertThat(h.issuer.issuedCount()).isOne();
    }

    @Test
    void aFailingCaMakesTheOrderInvalidAndAnswersServerInternal() throws Exception {
        JsonNode order = readyOrder("down.example.com");
        String orderUrl = order.get("finalize").asString().replace("/finalize", "");
        h.issuer.failIssuance();
        AcmeResponse r = c.finalizeOrder(order, csr(List.of("down.example.com")));
        assertThat(r.status()).isEqualTo(500);
        assertThat(json(r).get("type").asString()).isEqualTo(AcmeProblemType.SERVER_INTERNAL.urn());
        JsonNode after = json(c.postAsGet(orderUrl));
        assertThat(after.get("status").asString()).isEqualTo("invalid");
        assertThat(after.get("error").get("type").asString()).isEqualTo(AcmeProblemType.SERVER_INTERNAL.urn());
    }

    @Test
    void anotherAccountsOrderAuthorizationChallengeAndCertificateAreUnauthorized() throws Exception {
        JsonNode order = readyOrder("mine.example.com");
        String orderUrl = order.get("finalize").asString().replace("/finalize", "");
        String authzUrl = order.get("authorizations").get(0).asString();
        String challengeUrl = json(c.postAsGet(authzUrl)).get("challenges").get(0).get("url").asString();
        c.finalizeOrder(order, csr(List.of("mine.example.com")));
        String certUrl = json(c.postAsGet(orderUrl)).get("certificate").asString();
        AcmeClient other = h.account();
        assertRefused(h, other.postAsGet(orderUrl), AcmeProblemType.UNAUTHORIZED, 403);
        assertRefused(h, other.postAsGet(authzUrl), AcmeProblemType.UNAUTHORIZED, 403);
        assertRefused(h, other.post(challengeUrl, "{}"), AcmeProblemType.UNAUTHORIZED, 403);
        assertRefused(h, other.finalizeOrder(order, csr(List.of("mine.example.com"))), AcmeProblemType.UNAUTHORIZED,
                403);
        assertRefused(h, other.postAsGet(certUrl), AcmeProblemType.UNAUTHORIZED, 403);
        assertRefused(h, other.postAsGet(c.kid.orElseThrow()), AcmeProblemType.UNAUTHORIZED, 403);
        assertThat(h.issuer.issuedCount()).isOne();
    }

    @Test
    void aWildcardIsRejectedWhereDns01IsNotOffered() throws Exception {
        AcmeClient http = h.client("http");
        http.register();
        JsonNode p = assertRefused(h, http.newOrder("*.example.com"), AcmeProblemType.REJECTED_IDENTIFIER, 400);
        assertThat(p.get("subproblems").get(0).get("identifier").get("value").asString()).isEqualTo("*.example.com");
    }

    @Test
    void identifiersOutsideTheAllowListAreRejectedEachAsASubproblem() throws Exception {
        AcmeClient internal = h.client("internal");
        internal.register();
        assertThat(internal.newOrder("api.ns.svc.cluster.local", "*.ns.svc.cluster.local", "10.2.3.4").status())
                .isEqualTo(201);
        JsonNode p = assertRefused(h, internal.newOrder("api.ns.svc.cluster.local", "example.com", "192.168.1.1"),
                AcmeProblemType.REJECTED_IDENTIFIER, 400);
        assertThat(p.get("subproblems")).hasSize(2);
    }

    @Test
    void malformedOrUnsupportedIdentifiersAreRefused() throws Exception {
        assertRefused(h, c.post(c.url("new-order"), "{\"identifiers\":[]}"), AcmeProblemType.MALFORMED, 400);
        assertRefused(h, c.post(c.url("new-order"), "{\"identifiers\":[{\"type\":\"email\",\"value\":\"a@b.c\"}]}"),
                AcmeProblemType.UNSUPPORTED_IDENTIFIER, 400);
        assertRefused(h, c.newOrder("a.*.example.com"), AcmeProblemType.REJECTED_IDENTIFIER, 400);
        assertRefused(h, c.newOrder("under_score.example.com"), AcmeProblemType.REJECTED_IDENTIFIER, 400);
        assertRefused(h, c.post(c.url("new-order"), "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"1.2.3.4\"}]}"),
                AcmeProblemType.REJECTED_IDENTIFIER, 400);
        assertRefused(h, c.newOrder("999.1.1.1"), AcmeProblemType.REJECTED_IDENTIFIER, 400);
        assertRefused(h, c.newOrder("dup.example.com", "DUP.example.com"), AcmeProblemType.MALFORMED, 400);
        String[] many = new String[101];
        for (int i = 0; i < many.length; i++) {
            many[i] = "n" + i + ".example.com";
        }
        assertRefused(h, c.newOrder(many), AcmeProblemType.REJECTED_IDENTIFIER, 400);
        assertThat(h.store.orderIds(c.kid.orElseThrow().substring(c.kid.orElseThrow().lastIndexOf('/') + 1),
                Optional.empty(), 10)).isEmpty();
    }

    @Test
    void aNotAfterBeyondTheCertificateLifetimeIsMalformed() throws Exception {
        String late = h.clock.instant().plus(java.time.Duration.ofDays(2)).toString();
        assertRefused(h, c.post(c.url("new-order"), "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"t.example.com\"}],"
                + "\"notAfter\":\"" + late + "\"}"), AcmeProblemType.MALFORMED, 400);
        String ok = h.clock.instant().plus(java.time.Duration.ofHours(12)).toString();
        AcmeResponse r = c.post(c.url("new-order"), "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"t.example.com\"}],"
                + "\"notAfter\":\"" + ok + "\"}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(json(r).get("notAfter").asString()).isEqualTo(ok);
    }

    @Test
    void twoRacingFinalizesIssueExactlyOneCertificate() throws Exception {
        JsonNode order = readyOrder("race.example.com");
        byte[] der = csr(List.of("race.example.com"));
        List<String> nonces = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nonces.add(c.nonce());
        }
        String url = order.get("finalize").asString();
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (String nonce : nonces) {
            tasks.add(() -> {
                var header = c.header(url, false);
                header.put("nonce", nonce);
                byte[] body = AcmeClient.jws(header, "{\"csr\":\"" + AcmeClient.b64(der) + "\"}", c.algorithm,
                        c.keys.getPrivate());
                go.await();
                return c.send(url, body, AcmeClient.JOSE).status();
            });
        }
        List<Integer> statuses = Concurrently.run(tasks, go);
        assertThat(statuses).containsOnly(200, 403);
        assertThat(statuses).containsOnlyOnce(200);
        assertThat(h.issuer.issuedCount()).isOne();
    }

    @Test
    void twoConcurrentNewOrdersOfOneAccountMakeTwoIndependentOrders() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var header = c.header(c.url("new-order"), false);
            byte[] body = AcmeClient.jws(header, AcmeClient.identifiers("same.example.com"), c.algorithm,
                    c.keys.getPrivate());
            tasks.add(() -> {
                go.await();
                AcmeResponse r = c.send(c.url("new-order"), body, AcmeClient.JOSE);
                assertThat(r.status()).isEqualTo(201);
                return r.header("Location").orElseThrow();
            });
        }
        List<String> locations = Concurrently.run(tasks, go);
        assertThat(locations).doesNotHaveDuplicates();
        JsonNode first = json(c.postAsGet(locations.get(0)));
        JsonNode second = json(c.postAsGet(locations.get(1)));
        assertThat(first.get("authorizations")).isNotEqualTo(second.get("authorizations"));
    }
}
