package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.certwright.ca.Csrs;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/// An ACME client over real HTTPS that builds every request by hand (flattened JWS, ES256 with a P-256
/// account key), so tests can send exactly what they mean: a nonce of their choosing, a foreign `url`, a
/// broken signature. It can send to a server other than the one the URLs name, as a load balancer would.
final class RawAcmeClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String JOSE = "application/jose+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    /// The URL clients see (the ACME base URL): every URL in requests and answers starts with it.
    private final String publicBase;
    /// The server this client sends to.
    private URI target;
    final String provisioner;
    KeyPair keys;
    Optional<String> kid = Optional.empty();

    RawAcmeClient(X509Certificate root, String publicBase, URI target, String provisioner) throws Exception {
        this.http = HttpClient.newBuilder().sslContext(ItAcme.trusting(root)).connectTimeout(TIMEOUT).build();
        this.publicBase = publicBase;
        this.target = target;
        this.provisioner = provisioner;
        this.keys = ItAcme.p256();
    }

    /// From now on sends to `server` (the URLs stay the same).
    void sendTo(URI server) {
        this.target = server;
    }

    String url(String resource) {
        return publicBase + "/acme/" + provisioner + "/" + resource;
    }

    private URI actual(String url) {
        if (url.startsWith(publicBase)) {
            return URI.create(target + url.substring(publicBase.length()));
        }
        return URI.create(url);
    }

    // --- raw requests -------------------------------------------------------------------------------

    HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(actual(url)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> send(String url, byte[] body, @Nullable String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(actual(url)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String nonce() throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(actual(url("new-nonce"))).timeout(TIMEOUT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("Replay-Nonce").orElseThrow();
    }

    // --- signing ------------------------------------------------------------------------------------

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode jwk(KeyPair pair) {
        return (ObjectNode) JSON.readTree(new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build()
                .toJSONString());
    }

    String thumbprint() throws Exception {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic()).build().computeThumbprint().toString();
    }

    /// A flattened JWS of `payload` (null: POST-as-GET) under `header`, signed ES256 by `key`.
    static byte[] jws(ObjectNode header, @Nullable String payload, PrivateKey key) throws Exception {
        String p = b64(header.toString());
        String body = payload == null ? "" : b64(payload);
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(key);
        s.update((p + "." + body).getBytes(StandardCharsets.US_ASCII));
        ObjectNode jws = JSON.createObjectNode();
        jws.put("protected", p);
        jws.put("payload", body);
        jws.put("signature", b64(s.sign()));
        return jws.toString().getBytes(StandardCharsets.UTF_8);
    }

    /// A protected header for `url` with a fresh nonce: `kid` once registered, else `jwk`.
    ObjectNode header(String url) throws Exception {
        return header(url, kid.isEmpty());
    }

    ObjectNode header(String url, boolean withJwk) throws Exception {
        ObjectNode h = JSON.createObjectNode();
        h.put("alg", "ES256");
        h.put("nonce", nonce());
        h.put("url", url);
        if (withJwk) {
            h.set("jwk", jwk(keys));
        } else {
            h.put("kid", kid.orElseThrow());
        }
        return h;
    }

    byte[] signed(ObjectNode header, @Nullable String payload) throws Exception {
        return jws(header, payload, keys.getPrivate());
    }

    HttpResponse<byte[]> post(String url, @Nullable String payload) throws Exception {
        return send(url, signed(header(url), payload), JOSE);
    }

    HttpResponse<byte[]> postAsGet(String url) throws Exception {
        return post(url, null);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        return JSON.readTree(r.body());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    // --- flows --------------------------------------------------------------------------------------

    void register() throws Exception {
        HttpResponse<byte[]> r = post(url("new-account"), "{\"termsOfServiceAgreed\":true,"
                + "\"contact\":[\"mailto:ops@example.com\"]}");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
        kid = Optional.of(r.headers().firstValue("Location").orElseThrow());
    }

    /// A new order for DNS `names`; its JSON with `url` (its Location) added.
    ObjectNode newOrder(String... names) throws Exception {
        StringBuilder s = new StringBuilder("{\"identifiers\":[");
        for (int i = 0; i < names.length; i++) {
            s.append(i == 0 ? "" : ",").append("{\"type\":\"dns\",\"value\":\"").append(names[i]).append("\"}");
        }
        HttpResponse<byte[]> r = post(url("new-order"), s.append("]}").toString());
        assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
        ObjectNode order = (ObjectNode) json(r);
        order.put("url", r.headers().firstValue("Location").orElseThrow());
        return order;
    }

    /// The http-01 challenge of `authzUrl`: its URL and token.
    record Http01(String url, String token) {
    }

    Http01 http01(String authzUrl) throws Exception {
        HttpResponse<byte[]> r = postAsGet(authzUrl);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        for (JsonNode ch : json(r).get("challenges")) {
            if (ch.get("type").asString().equals("http-01")) {
                return new Http01(ch.get("url").asString(), ch.get("token").asString());
            }
        }
        throw new AssertionError("no http-01 challenge in " + text(r));
    }

    /// Answers the http-01 challenge of every authorization of `order` through `responder` and waits until
    /// the order is ready.
    void authorizeHttp01(JsonNode order, ChallengeResponders.Http01 responder) throws Exception {
        for (JsonNode authz : order.get("authorizations")) {
            Http01 ch = http01(authz.asString());
            responder.put(ch.token(), ch.token() + "." + thumbprint());
            HttpResponse<byte[]> r = post(ch.url(), "{}");
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        }
        awaitOrder(order.get("url").asString(), "ready");
    }

    /// Polls the order until its status is `status`; fails on `invalid` or after [ItAcme#WAIT].
    JsonNode awaitOrder(String orderUrl, String status) throws Exception {
        long deadline = System.nanoTime() + ItAcme.WAIT.toNanos();
        while (true) {
            HttpResponse<byte[]> r = postAsGet(orderUrl);
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
            JsonNode o = json(r);
            String now = o.get("status").asString();
            if (now.equals(status)) {
                return o;
            }
            assertThat(now).as(text(r)).isNotEqualTo("invalid");
            assertThat(System.nanoTime()).as("order %s never became %s", orderUrl, status).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /// A DER CSR for DNS `names`, made with `pair` (P-256).
    static byte[] csr(KeyPair pair, List<String> names) throws Exception {
        return Csrs.create(JcaSigningKey.of(KeyAlgorithm.P256, pair.getPrivate(), pair.getPublic()),
                new SubjectNames(names, List.of(), List.of(), List.of()), Optional.empty());
    }

    HttpResponse<byte[]> finalizeOrder(JsonNode order, byte[] csrDer) throws Exception {
        return post(order.get("finalize").asString(), "{\"csr\":\"" + b64(csrDer) + "\"}");
    }
}
