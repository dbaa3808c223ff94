package io.certwright.it;

import static io.certwright.it.RawAcmeClient.JOSE;
import static io.certwright.it.RawAcmeClient.b64;
import static io.certwright.it.RawAcmeClient.json;
import static io.certwright.it.RawAcmeClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSpec;
import io.certwright.ca.InMemoryLedger;
import io.certwright.core.KeyAlgorithm;
import io.certwright.server.CertwrightServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/// Hostile ACME requests over real HTTPS against a running server: each is answered with the RFC's problem
/// type and status as `application/problem+json` with a fresh nonce, never with a 5xx, and no certificate
/// is issued by any of them.
class AcmeBadInputOverHttpTest {

    @TempDir
    static Path dir;

    static ChallengeResponders responders;
    static CertwrightServer server;
    static ServerApi api;
    static RawAcmeClient alice;
    static RawAcmeClient mallory;
    /// Alice's order for a name nobody validated.
    static JsonNode pending;
    /// Alice's order whose authorization is valid.
    static JsonNode ready;
    static byte[] foreignCertificate;
    static int certificatesBefore;

    @BeforeAll
    static void start() throws Exception {
        responders = ChallengeResponders.start();
        responders.dns.a("ready.bad.test", "127.0.0.1").a("other.bad.test", "127.0.0.1");
        server = ItAcme.start(dir.resolve("data"), responders.acmeYaml("""
                    - name: default
                      challenges: [http-01, dns-01, tls-alpn-01]
                """, ""));
        api = ItAcme.api(server);
        String base = server.url().toString();
        alice = new RawAcmeClient(server.root(), base, server.url(), "default");
        alice.register();
        mallory = new RawAcmeClient(server.root(), base, server.url(), "default");
        mallory.register();
        pending = alice.newOrder("pending.bad.test");
        ready = alice.newOrder("ready.bad.test");
        alice.authorizeHttp01(ready, responders.http01);
        CaMaterial other = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Elsewhere"), Clock.systemUTC(),
                new SecureRandom(), new InMemoryLedger());
        foreignCertificate = other.root().getEncoded();
        certificatesBefore = api.listAll("").size();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (responders != null) {
            responders.close();
        }
    }

    /// One hostile request: what it is, how to send it, and the problem type and status it must earn.
    record Hostile(String rule, Request request, String type, int status) {
    }

    @FunctionalInterface
    interface Request {
        HttpResponse<byte[]> send() throws Exception;
    }

    private static Hostile refused(String rule, String type, int status, Request request) {
        return new Hostile(rule, request, type, status);
    }

    private static String newOrderPayload(String name) {
        return "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"" + name + "\"}]}";
    }

    /// Alice's new-order request with `edit` applied to a fresh protected header.
    private static HttpResponse<byte[]> newOrderWith(java.util.function.Consumer<ObjectNode> edit) throws Exception {
        String url = alice.url("new-order");
        ObjectNode header = alice.header(url);
        edit.accept(header);
        return alice.send(url, alice.signed(header, newOrderPayload("x.bad.test")), JOSE);
    }

    private static HttpResponse<byte[]> newOrderBody(String body) throws Exception {
        return alice.send(alice.url("new-order"), body.getBytes(StandardCharsets.UTF_8), JOSE);
    }

    private static String csrPayload(List<String> names) throws Exception {
        return "{\"csr\":\"" + b64(RawAcmeClient.csr(ItAcme.p256(), names)) + "\"}";
    }

    private static String authzUrl(JsonNode order) {
        return order.get("authorizations").get(0).asString();
    }

    private static List<Hostile> corpus() {
        List<Hostile> c = new ArrayList<>();
        // ---- nonces
        c.add(refused("aReplayedNonceIsBadNonce", "badNonce", 400, () -> {
            String url = alice.url("new-order");
            byte[] body = alice.signed(alice.header(url), "{\"identifiers\":[]}");
            HttpResponse<byte[]> first = alice.send(url, body, JOSE);
            assertThat(first.statusCode()).isEqualTo(400);
            return alice.send(url, body, JOSE);
        }));
        c.add(refused("aNonceThisServerNeverIssuedIsBadNonce", "badNonce", 400,
                () -> newOrderWith(h -> h.put("nonce", "bm90LWEtbm9uY2UtZnJvbS10aGlzLXNlcnZlcg"))));
        c.add(refused("aMissingNonceIsBadNonce", "badNonce", 400, () -> newOrderWith(h -> h.remove("nonce"))));
        // ---- url and key identification
        c.add(refused("aJwsUrlOfAnotherResourceIsUnauthorized", "unauthorized", 403,
                () -> newOrderWith(h -> h.put("url", alice.url("new-account")))));
        c.add(refused("aJwsUrlOfAnotherHostIsUnauthorized", "unauthorized", 403,
                () -> newOrderWith(h -> h.put("url", "https://acme.elsewhere.test/acme/default/new-order"))));
        c.add(refused("aKidOfNoAccountIsAccountDoesNotExist", "accountDoesNotExist", 400,
                () -> newOrderWith(h -> h.put("kid", alice.url("account/nosuchaccount")))));
        c.add(refused("aKidOfAnotherAccountSignedWithOwnKeyIsMalformed", "malformed", 400,
                () -> newOrderWith(h -> h.put("kid", mallory.kid.orElseThrow()))));
        c.add(refused("bothJwkAndKidIsMalformed", "malformed", 400,
                () -> newOrderWith(h -> h.set("jwk", RawAcmeClient.jwk(alice.keys)))));
        c.add(refused("aJwkWhereAnAccountKidIsRequiredIsMalformed", "malformed", 400,
                () -> alice.send(alice.url("new-order"), alice.signed(alice.header(alice.url("new-order"), true),
                        newOrderPayload("x.bad.test")), JOSE)));
        c.add(refused("aKidOnNewAccountIsMalformed", "malformed", 400,
                () -> alice.send(alice.url("new-account"), alice.signed(alice.header(alice.url("new-account")),
                        "{\"termsOfServiceAgreed\":true}"), JOSE)));
        // ---- signatures and algorithms
        c.add(refused("aSignatureByAnotherKeyIsMalformed", "malformed", 400, () -> {
            String url = alice.url("new-order");
            KeyPair other = ItAcme.p256();
            return alice.send(url, RawAcmeClient.jws(alice.header(url), newOrderPayload("x.bad.test"),
                    other.getPrivate()), JOSE);
        }));
        c.add(refused("aTamperedPayloadIsMalformed", "malformed", 400, () -> {
            String url = alice.url("new-order");
            ObjectNode jws = (ObjectNode) RawAcmeClient.JSON.readTree(alice.signed(alice.header(url),
                    newOrderPayload("x.bad.test")));
            jws.put("payload", b64(newOrderPayload("evil.bad.test")));
            return alice.send(url, jws.toString().getBytes(StandardCharsets.UTF_8), JOSE);
        }));
        c.add(refused("algNoneIsBadSignatureAlgorithm", "badSignatureAlgorithm", 400, () -> {
            String url = alice.url("new-order");
            ObjectNode h = alice.header(url);
            h.put("alg", "none");
            ObjectNode jws = RawAcmeClient.JSON.createObjectNode();
            jws.put("protected", b64(h.toString()));
            jws.put("payload", b64(newOrderPayload("x.bad.test")));
            jws.put("signature", "");
            return alice.send(url, jws.toString().getBytes(StandardCharsets.UTF_8), JOSE);
        }));
        c.add(refused("algHs256IsBadSignatureAlgorithm", "badSignatureAlgorithm", 400,
                () -> newOrderWith(h -> h.put("alg", "HS256"))));
        c.add(refused("algRs256WithAnEcKeyIsBadSignatureAlgorithm", "badSignatureAlgorithm", 400,
                () -> newOrderWith(h -> h.put("alg", "RS256"))));
        // ---- bodies
        c.add(refused("aBodyThatIsNotJsonIsMalformed", "malformed", 400, () -> newOrderBody("not json at all")));
        c.add(refused("aJsonArrayBodyIsMalformed", "malformed", 400, () -> newOrderBody("[1,2,3]")));
        c.add(refused("aProtectedHeaderThatIsNotBase64UrlIsMalformed", "malformed", 400,
                () -> newOrderBody("{\"protected\":\"!!!\",\"payload\":\"\",\"signature\":\"\"}")));
        c.add(refused("aPayloadThatIsNotJsonIsMalformed", "malformed", 400,
                () -> alice.post(alice.url("new-order"), "{\"identifiers\":")));
        c.add(refused("anEmptyBodyIsMalformed", "malformed", 400, () -> newOrderBody("")));
        c.add(refused("contentTypeApplicationJsonIsRefusedWith415", "malformed", 415, () -> {
            String url = alice.url("new-order");
            return alice.send(url, alice.signed(alice.header(url), newOrderPayload("x.bad.test")),
                    "application/json");
        }));
        c.add(refused("noContentTypeIsRefusedWith415", "malformed", 415, () -> {
            String url = alice.url("new-order");
            return alice.send(url, alice.signed(alice.header(url), newOrderPayload("x.bad.test")), null);
        }));
        c.add(refused("aBodyOver64KibIsRefusedWith413", "malformed", 413, () -> {
            byte[] huge = new byte[70 * 1024];
            Arrays.fill(huge, (byte) 'a');
            return alice.send(alice.url("new-order"), huge, JOSE);
        }));
        // ---- accounts
        c.add(refused("aContactThatIsNotMailtoIsUnsupportedContact", "unsupportedContact", 400, () -> {
            RawAcmeClient fresh = new RawAcmeClient(server.root(), server.url().toString(), server.url(), "default");
            return fresh.post(fresh.url("new-account"), "{\"termsOfServiceAgreed\":true,"
                    + "\"contact\":[\"https://example.com/me\"]}");
        }));
        c.add(refused("aMailtoThatIsNotAnAddressIsInvalidContact", "invalidContact", 400, () -> {
            RawAcmeClient fresh = new RawAcmeClient(server.root(), server.url().toString(), server.url(), "default");
            return fresh.post(fresh.url("new-account"), "{\"termsOfServiceAgreed\":true,"
                    + "\"contact\":[\"mailto:not an address\"]}");
        }));
        // ---- orders and identifiers
        c.add(refused("anEmailIdentifierIsUnsupportedIdentifier", "unsupportedIdentifier", 400,
                () -> alice.post(alice.url("new-order"),
                        "{\"identifiers\":[{\"type\":\"email\",\"value\":\"a@example.com\"}]}")));
        c.add(refused("aDnsNameWithAnEmptyLabelIsRejectedIdentifier", "rejectedIdentifier", 400,
                () -> alice.post(alice.url("new-order"), newOrderPayload("bad..name.test"))));
        c.add(refused("anOrderWithoutIdentifiersIsMalformed", "malformed", 400,
                () -> alice.post(alice.url("new-order"), "{\"identifiers\":[]}")));
        // ---- finalization
        c.add(refused("finalizingBeforeValidationIsOrderNotReady", "orderNotReady", 403,
                () -> alice.post(pending.get("finalize").asString(), csrPayload(List.of("pending.bad.test")))));
        c.add(refused("aCsrWithAnExtraIdentifierIsBadCsr", "badCSR", 400,
                () -> alice.post(ready.get("finalize").asString(),
                        csrPayload(List.of("ready.bad.test", "extra.bad.test")))));
        c.add(refused("aCsrMissingAnIdentifierIsBadCsr", "badCSR", 400,
                () -> alice.post(ready.get("finalize").asString(), csrPayload(List.of("other.bad.test")))));
        c.add(refused("aCsrThatIsNotDerIsBadCsr", "badCSR", 400,
                () -> alice.post(ready.get("finalize").asString(), "{\"csr\":\"" + b64("not a csr") + "\"}")));
        c.add(refused("aCsrSignedWithTheAccountKeyIsBadCsr", "badCSR", 400,
                () -> alice.post(ready.get("finalize").asString(), "{\"csr\":\""
                        + b64(RawAcmeClient.csr(alice.keys, List.of("ready.bad.test"))) + "\"}")));
        // ---- other accounts' resources
        c.add(refused("answeringAnotherAccountsChallengeIsUnauthorized", "unauthorized", 403,
                () -> mallory.post(alice.http01(authzUrl(pending)).url(), "{}")));
        c.add(refused("readingAnotherAccountsAuthorizationIsUnauthorized", "unauthorized", 403,
                () -> mallory.postAsGet(authzUrl(pending))));
        c.add(refused("readingAnotherAccountsOrderIsUnauthorized", "unauthorized", 403,
                () -> mallory.postAsGet(ready.get("url").asString())));
        c.add(refused("finalizingAnotherAccountsReadyOrderIsUnauthorized", "unauthorized", 403,
                () -> mallory.post(ready.get("finalize").asString(), csrPayload(List.of("ready.bad.test")))));
        // ---- revocation
        c.add(refused("revokingACertificateNotIssuedHereIsMalformed", "malformed", 400,
                () -> alice.post(alice.url("revoke-cert"), "{\"certificate\":\"" + b64(foreignCertificate) + "\"}")));
        c.add(refused("revocationReasonSevenIsBadRevocationReason", "badRevocationReason", 400,
                () -> alice.post(alice.url("revoke-cert"), "{\"certificate\":\"" + b64(foreignCertificate)
                        + "\",\"reason\":7}")));
        // ---- routing
        c.add(refused("anUnknownProvisionerIsNotFound", "malformed", 404,
                () -> alice.get(server.url() + "/acme/nosuch/directory")));
        c.add(refused("getOnNewAccountIsMethodNotAllowed", "malformed", 405, () -> alice.get(alice.url("new-account"))));
        c.add(refused("getOnNewOrderIsMethodNotAllowed", "malformed", 405, () -> alice.get(alice.url("new-order"))));
        c.add(refused("getOnAnOrderIsMethodNotAllowed", "malformed", 405, () -> alice.get(ready.get("url").asString())));
        c.add(refused("aJunkPathUnderAcmeIsNotFound", "malformed", 404, () -> alice.get(alice.url("nothing-here"))));
        c.add(refused("aJunkOrderIdIsNotFound", "malformed", 404,
                () -> alice.postAsGet(alice.url("order/no!such~order"))));
        c.add(refused("anUnknownOrderIsNotFound", "malformed", 404, () -> alice.postAsGet(alice.url("order/unknown"))));
        c.add(refused("renewalInformationOfAnUnknownCertificateIsNotFound", "malformed", 404,
                () -> alice.get(alice.url("renewal-info/aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"))));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyHostileRequestEarnsItsProblemTypeAndIssuesNothing() {
        List<Hostile> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);
        return corpus.stream().map(h -> DynamicTest.dynamicTest(h.rule(), () -> {
            HttpResponse<byte[]> r = h.request().send();
            String body = text(r);
            assertThat(r.statusCode()).as("%s: %s", h.rule(), body).isLessThan(500).isEqualTo(h.status());
            assertThat(r.headers().firstValue("Content-Type")).as(h.rule())
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            JsonNode problem = json(r);
            assertThat(problem.get("type").asString()).as("%s: %s", h.rule(), body)
                    .isEqualTo("urn:ietf:params:acme:error:" + h.type());
            assertThat(problem.get("status").asInt()).as(h.rule()).isEqualTo(h.status());
            assertThat(r.headers().firstValue("Replay-Nonce")).as(h.rule()).isPresent();
            assertThat(api.listAll("")).as("certificates after %s", h.rule()).hasSize(certificatesBefore);
        }));
    }
}
