package io.certwright.acme.engine;

import static io.certwright.acme.engine.AcmeClient.b64;
import static io.certwright.acme.engine.AcmeClient.json;
import static io.certwright.acme.engine.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/// The bad-input corpus: every refusal answers with the RFC's problem type and status, carries a fresh nonce,
/// is audited, issues nothing, and is never a 5xx.
class BadInputTest {

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
        assertThat(h.issuer.issuedCount()).isZero();
    }

    private byte[] signed(ObjectNode header, String payload) throws Exception {
        return AcmeClient.jws(header, payload, c.algorithm, c.keys.getPrivate());
    }

    @Test
    void aReplayedNonceIsBadNonceAndTheFreshNonceOfTheRefusalWorks() throws Exception {
        String url = c.url("new-order");
        byte[] body = signed(c.header(url, false), AcmeClient.identifiers("r.example.com"));
        assertThat(c.send(url, body, AcmeClient.JOSE).status()).isEqualTo(201);
        AcmeResponse replay = c.send(url, body, AcmeClient.JOSE);
        assertRefused(h, replay, AcmeProblemType.BAD_NONCE, 400);
        ObjectNode retry = c.header(url, false);
        retry.put("nonce", replay.header("Replay-Nonce").orElseThrow());
        assertThat(c.send(url, signed(retry, AcmeClient.identifiers("r2.example.com")), AcmeClient.JOSE).status())
                .isEqualTo(201);
    }

    @Test
    void aReplayedNewOrderStoresNoSecondOrder() throws Exception {
        String url = c.url("new-order");
        byte[] body = signed(c.header(url, false), AcmeClient.identifiers("once.example.com"));
        assertThat(c.send(url, body, AcmeClient.JOSE).status()).isEqualTo(201);

        assertRefused(h, c.send(url, body, AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);

        String accountId = c.kid.orElseThrow().substring(c.kid.orElseThrow().lastIndexOf('/') + 1);
        assertThat(h.store.orderIds(accountId, java.util.Optional.empty(), 10)).hasSize(1);
    }

    @Test
    void aReplayedReadIsBadNonce() throws Exception {
        String url = c.kid.orElseThrow();
        byte[] body = AcmeClient.jws(c.header(url, false), null, c.algorithm, c.keys.getPrivate());
        assertThat(c.send(url, body, AcmeClient.JOSE).status()).isEqualTo(200);

        assertRefused(h, c.send(url, body, AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);
    }

    @Test
    void aRefusedRequestSpendsItsNonceSoItsReplayIsBadNonce() throws Exception {
        String url = c.url("new-order");
        byte[] body = signed(c.header(url, false), "{\"identifiers\":[]}");
        assertRefused(h, c.send(url, body, AcmeClient.JOSE), AcmeProblemType.MALFORMED, 400);

        assertRefused(h, c.send(url, body, AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"forged", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ""})
    void aNonceThisServerDidNotIssueIsBadNonce(String nonce) throws Exception {
        ObjectNode header = c.header(c.url("new-order"), false);
        header.put("nonce", nonce);
        assertRefused(h, c.send(c.url("new-order"), signed(header, AcmeClient.identifiers("f.example.com")),
                AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);
    }

    @Test
    void aMissingNonceIsBadNonce() throws Exception {
        ObjectNode header = c.header(c.url("new-order"), false);
        header.remove("nonce");
        assertRefused(h, c.send(c.url("new-order"), signed(header, AcmeClient.identifiers("f.example.com")),
                AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);
    }

    @Test
    void anExpiredNonceIsBadNonce() throws Exception {
        ObjectNode header = c.header(c.url("new-order"), false);
        h.clock.advance(java.time.Duration.ofHours(2));
        assertRefused(h, c.send(c.url("new-order"), signed(header, AcmeClient.identifiers("e.example.com")),
                AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);
    }

    @Test
    void aJwsUrlOtherThanTheRequestUrlIsUnauthorized() throws Exception {
        ObjectNode header = c.header(c.url("new-account"), false);
        assertRefused(h, c.send(c.url("new-order"), signed(header, AcmeClient.identifiers("u.example.com")),
                AcmeClient.JOSE), AcmeProblemType.UNAUTHORIZED, 403);
    }

    @Test
    void aKidOfNoAccountIsAccountDoesNotExist() throws Exception {
        c.kid = Optional.of(c.url("account/nosuchaccount"));
        assertRefused(h, c.newOrder("k.example.com"), AcmeProblemType.ACCOUNT_DOES_NOT_EXIST, 400);
    }

    @Test
    void aKidOfAnotherProvisionersAccountIsAccountDoesNotExist() throws Exception {
        AcmeClient other = h.client("http");
        other.register();
        c.kid = Optional.of(other.kid.orElseThrow());
        assertRefused(h, c.newOrder("k.example.com"), AcmeProblemType.ACCOUNT_DOES_NOT_EXIST, 400);
    }

    @Test
    void aDeactivatedAccountIsUnauthorized() throws Exception {
        AcmeResponse r = c.post(c.kid.orElseThrow(), "{\"status\":\"deactivated\"}");
        assertThat(json(r).get("status").asString()).isEqualTo("deactivated");
        assertRefused(h, c.newOrder("x.example.com"), AcmeProblemType.UNAUTHORIZED, 403);
        assertRefused(h, c.postWithJwk(c.url("new-account"), "{}"), AcmeProblemType.UNAUTHORIZED, 403);
    }

    @Test
    void aJwkWhereAnAccountKidIsRequiredIsMalformed() throws Exception {
        assertRefused(h, c.postWithJwk(c.url("new-order"), AcmeClient.identifiers("j.example.com")),
                AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void aKidOnNewAccountIsMalformed() throws Exception {
        assertRefused(h, c.post(c.url("new-account"), "{}"), AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void bothJwkAndKidIsMalformed() throws Exception {
        ObjectNode header = c.header(c.url("new-order"), false);
        header.set("jwk", AcmeClient.jwkNode(c.keys.getPublic()));
        assertRefused(h, c.send(c.url("new-order"), signed(header, AcmeClient.identifiers("b.example.com")),
                AcmeClient.JOSE), AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void aSignatureByAnotherKeyIsMalformedAndUsesNoNonce() throws Exception {
        KeyPair other = TestCa.keyPair(KeyAlgorithm.P256);
        ObjectNode header = c.header(c.url("new-order"), false);
        byte[] body = AcmeClient.jws(header, AcmeClient.identifiers("s.example.com"), KeyAlgorithm.P256,
                other.getPrivate());
        assertRefused(h, c.send(c.url("new-order"), body, AcmeClient.JOSE), AcmeProblemType.MALFORMED, 400);
        byte[] good = signed(header, AcmeClient.identifiers("s.example.com"));
        assertThat(c.send(c.url("new-order"), good, AcmeClient.JOSE).status()).isEqualTo(201);
    }

    @Test
    void aTamperedPayloadIsMalformed() throws Exception {
        byte[] body = signed(c.header(c.url("new-order"), false), AcmeClient.identifiers("t.example.com"));
        ObjectNode jws = (ObjectNode) AcmeClient.JSON.readTree(body);
        jws.put("payload", b64(AcmeClient.identifiers("evil.example.com")));
        assertRefused(h, c.send(c.url("new-order"), jws.toString().getBytes(StandardCharsets.UTF_8),
                AcmeClient.JOSE), AcmeProblemType.MALFORMED, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "HS256", "RS1", "ES512", "PS256"})
    void anAlgorithmOutsideTheAcceptedSetIsBadSignatureAlgorithmListingTheAccepted(String alg) throws Exception {
        ObjectNode header = c.header(c.url("new-order"), false);
        header.put("alg", alg);
        JsonNode p = assertRefused(h, c.send(c.url("new-order"), signed(header, AcmeClient.identifiers("a.example.com")),
                AcmeClient.JOSE), AcmeProblemType.BAD_SIGNATURE_ALGORITHM, 400);
        assertThat(p.get("algorithms")).extracting(JsonNode::asString)
                .containsExactly("ES256", "ES384", "RS256", "EdDSA");
    }

    @Test
    void anAlgorithmThatDoesNotFitTheKeyIsBadSignatureAlgorithm() throws Exception {
        ObjectNode header = c.header(c.url("new-order"), false);
        header.put("alg", "RS256");
        assertRefused(h, c.send(c.url("new-order"), signed(header, AcmeClient.identifiers("a.example.com")),
                AcmeClient.JOSE), AcmeProblemType.BAD_SIGNATURE_ALGORITHM, 400);
    }

    @Test
    void anRsaAccountKeyBelow2048BitsIsBadPublicKey() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        AcmeClient small = h.client(KeyAlgorithm.RSA2048);
        small.keys = g.generateKeyPair();
        assertRefused(h, small.postWithJwk(small.url("new-account"), "{\"termsOfServiceAgreed\":true}"),
                AcmeProblemType.BAD_PUBLIC_KEY, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{}", "{\"protected\":1,\"payload\":\"\",\"signature\":\"\"}",
        "{\"protected\":\"!!\",\"payload\":\"\",\"signature\":\"\"}",
        "{\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"\"}",
        "{\"protected\":\"eyJhbGciOiJFUzI1NiJ9\",\"payload\":\"\",\"signature\":\"\",\"header\":{}}",
        "{\"signatures\":[]}", "{\"protected\":\"e30\",\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"\"}",
        "{\"protected\":\"e30=\",\"payload\":\"\",\"signature\":\"\"}", "{\"a\":1} trailing"})
    void aBodyThatIsNotAFlattenedJwsIsMalformed(String body) throws Exception {
        AcmeResponse r = c.send(c.url("new-order"), body.getBytes(StandardCharsets.UTF_8), AcmeClient.JOSE);
        assertRefused(h, r, AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void aPayloadThatIsNotJsonIsMalformed() throws Exception {
        assertRefused(h, c.post(c.url("new-order"), "{\"identifiers\":"), AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void aContentTypeOtherThanJoseJsonIs415() throws Exception {
        byte[] body = signed(c.header(c.url("new-order"), false), AcmeClient.identifiers("c.example.com"));
        assertRefused(h, c.send(c.url("new-order"), body, "application/json"), AcmeProblemType.MALFORMED, 415);
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        byte[] huge = new byte[64 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertRefused(h, c.send(c.url("new-order"), huge, AcmeClient.JOSE), AcmeProblemType.MALFORMED, 413);
    }

    @Test
    void getOnAPostOnlyResourceIs405() throws Exception {
        AcmeResponse r = c.get(c.url("new-order"));
        assertRefused(h, r, AcmeProblemType.MALFORMED, 405);
    }

    @Test
    void anUnknownProvisionerOrPathIs404() throws Exception {
        assertRefused(h, c.get(AcmeHarness.BASE + "/acme/nosuch/directory"), AcmeProblemType.MALFORMED, 404);
        assertRefused(h, c.get(AcmeHarness.BASE + "/acme/main/nothing-here"), AcmeProblemType.MALFORMED, 404);
        assertRefused(h, c.postAsGet(c.url("order/unknown")), AcmeProblemType.MALFORMED, 404);
    }

    @Test
    void postAsGetIsRequiredToReadAnOrder() throws Exception {
        AcmeResponse created = c.newOrder("g.example.com");
        assertRefused(h, c.post(created.header("Location").orElseThrow(), "{}"), AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void garbageNeverEarnsA5xx() throws Exception {
        java.util.Random random = new java.util.Random(42);
        List<String> urls = List.of(c.url("new-account"), c.url("new-order"), c.url("revoke-cert"),
                c.url("key-change"), c.kid.orElseThrow(), c.url("renewal-info/abc.def"));
        for (int i = 0; i < 300; i++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            String url = urls.get(i % urls.size());
            AcmeResponse r = c.send(url, noise, AcmeClient.JOSE);
            assertThat(r.status()).as(r.bodyText()).isBetween(400, 499);
            ObjectNode header = c.header(url, i % 2 == 0);
            String payload = new String(noise, StandardCharsets.ISO_8859_1);
            AcmeResponse signedNoise = c.send(url, signed(header, i % 3 == 0 ? "{\"csr\":\"" + payload + "\"}"
                    : payload), AcmeClient.JOSE);
            // A JSON object payload to new-account with the account's own key legitimately finds the account.
            assertThat(signedNoise.status()).as(signedNoise.bodyText()).isLessThan(500);
        }
    }
}
