package io.certwright.acme.engine;

import static io.certwright.acme.engine.AcmeClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.validation.ValidationOutcome;
import io.certwright.ca.Pem;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

class AcmeFlowTest {

    private AcmeHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new AcmeHarness();
    }

    @AfterEach
    void close() {
        h.close();
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"P256", "P384", "RSA2048", "ED25519"})
    void anAccountOfEveryAcceptedKeyTypeGetsACertificateThatChainsToTheRoot(KeyAlgorithm accountKey) throws Exception {
        AcmeClient c = h.client(accountKey);
        c.register();
        AcmeResponse created = c.newOrder("api.example.com", "10.1.2.3");
        assertThat(created.status()).as(created.bodyText()).isEqualTo(201);
        String orderUrl = created.header("Location").orElseThrow();
        JsonNode order = json(created);
        assertThat(order.get("status").asString()).isEqualTo("pending");
        c.authorize(order, "http-01");
        assertThat(json(c.postAsGet(orderUrl)).get("status").asString()).isEqualTo("ready");

        KeyPair certKey = TestCa.keyPair(KeyAlgorithm.P256);
        AcmeResponse finalized = c.finalizeOrder(order, AcmeClient.csr(certKey, KeyAlgorithm.P256,
                List.of("api.example.com"), List.of("10.1.2.3"), Optional.empty()));
        assertThat(finalized.status()).as(finalized.bodyText()).isEqualTo(200);
        JsonNode valid = json(c.postAsGet(orderUrl));
        assertThat(valid.get("status").asString()).isEqualTo("valid");

        AcmeResponse pem = c.postAsGet(valid.get("certificate").asString());
        assertThat(pem.status()).isEqualTo(200);
        assertThat(pem.contentType()).contains("application/pem-certificate-chain");
        List<X509Certificate> chain = Pem.readCertificates(pem.body(), "download");
        assertThat(chain).hasSize(2);
        // Exactly the leaf's PEM block and then the intermediate's, as the CA encodes them.
        assertThat(new String(pem.body(), StandardCharsets.US_ASCII))
                .isEqualTo(Pem.certificate(chain.getFirst()) + Pem.certificate(h.ca.intermediate()));
        h.ca.validate(chain);
        assertThat(chain.getFirst().getPublicKey()).isEqualTo(certKey.getPublic());
        assertThat(chain.getFirst().getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
                .containsExactlyInAnyOrder("api.example.com", "10.1.2.3");
        assertThat(Duration.between(chain.getFirst().getNotBefore().toInstant(),
                chain.getFirst().getNotAfter().toInstant())).isLessThanOrEqualTo(Duration.ofHours(24).plusMinutes(5));
        assertThat(h.audit.events()).extracting(AuditEvent::action).contains("acme.account.create",
                "acme.order.create", "acme.challenge.respond", "acme.challenge.validate", "acme.order.finalize");
    }

    @Test
    void theDirectoryNamesEveryResourceOfItsProvisioner() throws Exception {
        AcmeResponse r = h.client("eab").get(AcmeHarness.BASE + "/acme/eab/directory");
        assertThat(r.status()).isEqualTo(200);
        JsonNode d = json(r);
        String p = AcmeHarness.BASE + "/acme/eab/";
        assertThat(d.get("newNonce").asString()).isEqualTo(p + "new-nonce");
        assertThat(d.get("newAccount").asString()).isEqualTo(p + "new-account");
        assertThat(d.get("newOrder").asString()).isEqualTo(p + "new-order");
        assertThat(d.get("revokeCert").asString()).isEqualTo(p + "revoke-cert");
        assertThat(d.get("keyChange").asString()).isEqualTo(p + "key-change");
        assertThat(d.get("renewalInfo").asString()).isEqualTo(p + "renewal-info");
        assertThat(d.get("meta").get("externalAccountRequired").asBoolean()).isTrue();
    }

    @Test
    void newNonceAnswersHeadWith200AndGetWith204NeverCached() throws Exception {
        AcmeClient c = h.client(KeyAlgorithm.P256);
        AcmeResponse head = c.head(c.url("new-nonce"));
        AcmeResponse get = c.get(c.url("new-nonce"));
        assertThat(head.status()).isEqualTo(200);
        assertThat(get.status()).isEqualTo(204);
        for (AcmeResponse r : List.of(head, get)) {
            assertThat(r.header("Cache-Control")).contains("no-store");
            assertThat(r.header("Replay-Nonce")).isPresent();
        }
        assertThat(head.header("Replay-Nonce")).isNotEqualTo(get.header("Replay-Nonce"));
    }

    @Test
    void everyResponseErrorsIncludedCarriesAFreshNonceAndTheDirectoryLink() throws Exception {
        AcmeClient c = h.account();
        List<AcmeResponse> responses = List.of(c.get(c.url("directory")), c.newOrder("a.example.com"),
                c.send(c.url("new-order"), "{}".getBytes(StandardCharsets.UTF_8), AcmeClient.JOSE),
                c.get(c.url("new-order")), c.postAsGet(c.url("order/doesnotexist")));
        for (AcmeResponse r : responses) {
            assertThat(r.header("Replay-Nonce")).as(r.toString()).isPresent();
            assertThat(r.headers("Link")).as(r.toString())
                    .contains("<" + c.url("directory") + ">;rel=\"index\"");
        }
    }

    @Test
    void challengeValidationRunsOnAVirtualThreadAndSeesTheKeyAuthorization() throws Exception {
        AcmeClient c = h.account();
        JsonNode order = json(c.newOrder("v.example.com"));
        c.authorize(order, "dns-01");
        ScriptedValidator.Attempt attempt = h.validator.attempts().getFirst();
        assertThat(attempt.virtualThread()).isTrue();
        assertThat(attempt.type()).isEqualTo("dns-01");
        assertThat(attempt.keyAuthorization()).isEqualTo(attempt.token() + "." + c.thumbprint());
    }

    @Test
    void aRespondedChallengeIsProcessingUntilTheValidatorAnswersThenValidWithItsAuthorization() throws Exception {
        h.validator.hold("p.example.com");
        AcmeClient c = h.account();
        JsonNode order = json(c.newOrder("p.example.com"));
        String authzUrl = order.get("authorizations").get(0).asString();
        JsonNode authz = json(c.postAsGet(authzUrl));
        String challengeUrl = authz.get("challenges").get(0).get("url").asString();

        AcmeResponse responded = c.post(challengeUrl, "{}");
        assertThat(json(responded).get("status").asString()).isEqualTo("processing");
        assertThat(responded.headers("Link")).contains("<" + authzUrl + ">;rel=\"up\"");
        AcmeResponse again = c.post(challengeUrl, "{}");
        assertThat(json(again).get("status").asString()).isEqualTo("processing");
        assertThat(json(c.postAsGet(authzUrl)).get("status").asString()).isEqualTo("pending");
        assertThat(json(c.postAsGet(order.get("finalize").asString().replace("/finalize", ""))).get("status")
                .asString()).isEqualTo("pending");

        h.validator.release("p.example.com", new ValidationOutcome.Valid());
        JsonNode done = c.awaitAuthorization(authzUrl);
        assertThat(done.get("status").asString()).isEqualTo("valid");
        JsonNode ch = json(c.post(challengeUrl, "{}"));
        assertThat(ch.get("status").asString()).isEqualTo("valid");
        assertThat(ch.get("validated").asString()).isEqualTo(h.clock.instant().toString());
        assertThat(h.validator.attempts()).hasSize(1);
    }

    @Test
    void aFailedChallengeMakesItsAuthorizationAndOrderInvalidWithTheValidatorsError() throws Exception {
        h.validator.answer("bad.example.com", new ValidationOutcome.Invalid(AcmeProblemType.INCORRECT_RESPONSE,
                "the token at http://bad.example.com/.well-known/acme-challenge/x was wrong"));
        AcmeClient c = h.account();
        AcmeResponse created = c.newOrder("bad.example.com", "good.example.com");
        JsonNode order = json(created);
        c.authorize(order, "http-01");
        JsonNode badAuthz = json(c.postAsGet(order.get("authorizations").get(0).asString()));
        assertThat(badAuthz.get("status").asString()).isEqualTo("invalid");
        JsonNode challenge = badAuthz.get("challenges").get(0);
        assertThat(challenge.get("status").asString()).isEqualTo("invalid");
        assertThat(challenge.get("error").get("type").asString()).isEqualTo(AcmeProblemType.INCORRECT_RESPONSE.urn());
        JsonNode invalid = json(c.postAsGet(created.header("Location").orElseThrow()));
        assertThat(invalid.get("status").asString()).isEqualTo("invalid");
        assertThat(invalid.get("error").get("type").asString()).isEqualTo(AcmeProblemType.INCORRECT_RESPONSE.urn());
        assertThat(h.audit.refusals()).extracting(AuditEvent::action).contains("acme.challenge.validate");
    }

    @Test
    void aPendingAuthorizationReadsAsExpiredAfterItsLifetimeAndItsOrderAsInvalid() throws Exception {
        AcmeClient c = h.account();
        AcmeResponse created = c.newOrder("late.example.com");
        JsonNode order = json(created);
        h.clock.advance(Duration.ofHours(1));
        JsonNode authz = json(c.postAsGet(order.get("authorizations").get(0).asString()));
        assertThat(authz.get("status").asString()).isEqualTo("expired");
        assertThat(json(c.postAsGet(created.header("Location").orElseThrow())).get("status").asString())
                .isEqualTo("invalid");
        String authzUrl = order.get("authorizations").get(0).asString();
        assertThat(h.store.authorization(authzUrl.substring(authzUrl.lastIndexOf('/') + 1)).orElseThrow().status()
                .wire()).isEqualTo("expired");
    }

    @Test
    void anOrderIsInvalidOnceItExpiresUnfinalized() throws Exception {
        AcmeClient c = h.account();
        AcmeResponse created = c.newOrder("slow.example.com");
        c.authorize(json(created), "http-01");
        h.clock.advance(Duration.ofHours(24));
        JsonNode order = json(c.postAsGet(created.header("Location").orElseThrow()));
        assertThat(order.get("status").asString()).isEqualTo("invalid");
    }

    @Test
    void aValidAuthorizationIsReusedSoTheNextOrderIsReadyAtOnce() throws Exception {
        AcmeClient c = h.account();
        JsonNode first = json(c.newOrder("reuse.example.com"));
        c.authorize(first, "http-01");
        h.clock.advance(Duration.ofHours(2));
        AcmeResponse second = c.newOrder("reuse.example.com");
        assertThat(json(second).get("status").asString()).isEqualTo("ready");
        assertThat(json(second).get("authorizations")).isEqualTo(first.get("authorizations"));
        h.clock.advance(Duration.ofHours(23));
        assertThat(json(c.newOrder("reuse.example.com")).get("status").asString()).isEqualTo("pending");
    }

    @Test
    void aValidAuthorizationCanBeDeactivatedAndThenNoLongerServesOrders() throws Exception {
        AcmeClient c = h.account();
        AcmeResponse created = c.newOrder("d.example.com");
        c.authorize(json(created), "http-01");
        String authzUrl = json(created).get("authorizations").get(0).asString();
        AcmeResponse r = c.post(authzUrl, "{\"status\":\"deactivated\"}");
        assertThat(json(r).get("status").asString()).isEqualTo("deactivated");
        assertThat(json(c.postAsGet(created.header("Location").orElseThrow())).get("status").asString())
                .isEqualTo("invalid");
        assertThat(json(c.newOrder("d.example.com")).get("status").asString()).isEqualTo("pending");
    }

    @Test
    void theOrdersListIsPagedWithNextLinks() throws Exception {
        h.close();
        h = new AcmeHarness(s -> s.withOrdersPageSize(2));
        AcmeClient c = h.account();
        for (int i = 0; i < 5; i++) {
            c.newOrder("o" + i + ".example.com");
            h.clock.advance(Duration.ofSeconds(1));
        }
        String accountUrl = c.kid.orElseThrow();
        String next = json(c.postAsGet(accountUrl)).get("orders").asString();
        int total = 0;
        int pages = 0;
        while (next != null) {
            AcmeResponse page = c.postAsGet(next);
            assertThat(page.status()).as(page.bodyText()).isEqualTo(200);
            total += json(page).get("orders").size();
            pages++;
            next = page.headers("Link").stream().filter(l -> l.endsWith("rel=\"next\"")).findFirst()
                    .map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
        }
        assertThat(total).isEqualTo(5);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void wildcardOrdersOfferOnlyDns01AndIpOrdersNoDns01() throws Exception {
        AcmeClient c = h.account();
        JsonNode order = json(c.newOrder("*.wild.example.com", "2001:DB8:0:0:0:0:0:1"));
        assertThat(order.get("identifiers").get(1).get("value").asString()).isEqualTo("2001:db8::1");
        JsonNode wild = json(c.postAsGet(order.get("authorizations").get(0).asString()));
        assertThat(wild.get("wildcard").asBoolean()).isTrue();
        assertThat(wild.get("identifier").get("value").asString()).isEqualTo("wild.example.com");
        assertThat(wild.get("challenges")).extracting(n -> n.get("type").asString()).containsExactly("dns-01");
        JsonNode ip = json(c.postAsGet(order.get("authorizations").get(1).asString()));
        assertThat(ip.get("challenges")).extracting(n -> n.get("type").asString())
                .containsExactly("http-01", "tls-alpn-01");
    }
}
