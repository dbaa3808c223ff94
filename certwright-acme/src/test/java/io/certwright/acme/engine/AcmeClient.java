package io.certwright.acme.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/// An ACME client for tests: holds an account key, fetches nonces and signs flattened JWS requests the way
/// a real client does, with the JDK's signature engines.
final class AcmeClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String JOSE = "application/jose+json";

    final AcmeServer server;
    final String base;
    final String provisioner;
    final String address;
    KeyAlgorithm algorithm;
    KeyPair keys;
    Optional<String> kid = Optional.empty();

    AcmeClient(AcmeServer server, String base, String provisioner, KeyAlgorithm algorithm, String address)
            throws Exception {
        this.server = server;
        this.base = base;
        this.provisioner = provisioner;
        this.algorithm = algorithm;
        this.keys = TestCa.keyPair(algorithm);
        this.address = address;
    }

    String url(String resource) {
        return base + "/acme/" + provisioner + "/" + resource;
    }

    String path(String url) {
        assertThat(url).startsWith(base);
        return url.substring(base.length());
    }

    // --- raw requests ---------------------------------------------------------------------------------

    AcmeResponse get(String url) {
        return server.handle(AcmeRequest.of("GET", path(url), Map.of(), new byte[0], address));
    }

    AcmeResponse head(String url) {
        return server.handle(AcmeRequest.of("HEAD", path(url), Map.of(), new byte[0], address));
    }

    AcmeResponse send(String url, byte[] body, String contentType) {
        return server.handle(AcmeRequest.of("POST", path(url), Map.of("Content-Type", contentType), body, address));
    }

    String nonce() {
        AcmeResponse r = head(url("new-nonce"));
        assertThat(r.status()).isEqualTo(200);
        return r.header("Replay-Nonce").orElseThrow();
    }

    // --- signing ----------------------------------------------------------------------------------------

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String alg(KeyAlgorithm a) {
        return switch (a) {
            case P256 -> "ES256";
            case P384 -> "ES384";
            case ED25519 -> "EdDSA";
            default -> "RS256";
        };
    }

    static byte[] sign(KeyAlgorithm a, PrivateKey key, byte[] input) throws Exception {
        Signature s = Signature.getInstance(switch (a) {
            case P256 -> "SHA256withECDSAinP1363Format";
            case P384 -> "SHA384withECDSAinP1363Format";
            case ED25519 -> "Ed25519";
            default -> "SHA256withRSA";
        });
        s.initSign(key);
        s.update(input);
        return s.sign();
    }

    static JWK jwk(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
        }
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        byte[] spki = key.getEncoded();
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32,
                spki.length))).build();
    }

    static ObjectNode jwkNode(PublicKey key) {
        return (ObjectNode) JSON.readTree(jwk(key).toJSONString());
    }

    String thumbprint() throws Exception {
        return jwk(keys.getPublic()).computeThumbprint().toString();
    }

    /// A flattened JWS with the given protected header and payload (null: POST-as-GET).
    static byte[] jws(ObjectNode header, @Nullable String payload, KeyAlgorithm a, PrivateKey key) throws Exception {
        String p = b64(header.toString());
        String body = payload == null ? "" : b64(payload);
        byte[] sig = sign(a, key, (p + "." + body).getBytes(StandardCharsets.US_ASCII));
        ObjectNode jws = JSON.createObjectNode();
        jws.put("protected", p);
        jws.put("payload", body);
        jws.put("signature", b64(sig));
        return jws.toString().getBytes(StandardCharsets.UTF_8);
    }

    ObjectNode header(String url, boolean withJwk) {
        ObjectNode h = JSON.createObjectNode();
        h.put("alg", alg(algorithm));
        h.put("nonce", nonce());
        h.put("url", url);
        if (withJwk) {
            h.set("jwk", jwkNode(keys.getPublic()));
        } else {
            h.put("kid", kid.orElseThrow());
        }
        return h;
    }

    /// POST signed with `kid` (or `jwk` when the client has no account yet).
    AcmeResponse post(String url, @Nullable String payload) throws Exception {
        return send(url, jws(header(url, kid.isEmpty()), payload, algorithm, keys.getPrivate()), JOSE);
    }

    AcmeResponse postWithJwk(String url, @Nullable String payload) throws Exception {
        return send(url, jws(header(url, true), payload, algorithm, keys.getPrivate()), JOSE);
    }

    AcmeResponse postAsGet(String url) throws Exception {
        return post(url, null);
    }

    // --- flows ------------------------------------------------------------------------------------------

    AcmeResponse register() throws Exception {
        AcmeResponse r = postWithJwk(url("new-account"), "{\"termsOfServiceAgreed\":true,"
                + "\"contact\":[\"mailto:ops@example.com\"]}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        kid = Optional.of(r.header("Location").orElseThrow());
        return r;
    }

    static String identifiers(String... values) {
        StringBuilder s = new StringBuilder("{\"identifiers\":[");
        for (int i = 0; i < values.length; i++) {
            String type = values[i].matches("[0-9.]+|.*:.*") ? "ip" : "dns";
            s.append(i == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"value\":\"")
                    .append(values[i]).append("\"}");
        }
        return s.append("]}").toString();
    }

    AcmeResponse newOrder(String... names) throws Exception {
        return post(url("new-order"), identifiers(names));
    }

    static JsonNode json(AcmeResponse r) {
        return JSON.readTree(r.body());
    }

    /// Responds to the `type` challenge of every authorization of the order and waits until none is pending.
    JsonNode authorize(JsonNode order, String type) throws Exception {
        for (JsonNode authzUrl : order.get("authorizations")) {
            JsonNode authz = json(postAsGet(authzUrl.asString()));
            if (!"pending".equals(authz.get("status").asString())) {
                continue;
            }
            for (JsonNode ch : authz.get("challenges")) {
                if (ch.get("type").asString().equals(type)) {
                    AcmeResponse r = post(ch.get("url").asString(), "{}");
                    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
                }
            }
            awaitAuthorization(authzUrl.asString());
        }
        return order;
    }

    /// Polls an authorization until it leaves `pending`.
    JsonNode awaitAuthorization(String url) throws Exception {
        for (int i = 0; i < 4000; i++) {
            JsonNode a = json(postAsGet(url));
            if (!"pending".equals(a.get("status").asString())) {
                return a;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("authorization " + url + " stayed pending");
    }

    static byte[] csr(KeyPair pair, KeyAlgorithm a, List<String> dns, List<String> ips, Optional<String> cn)
            throws Exception {
        List<java.net.InetAddress> addresses = ips.stream().map(io.certwright.ca.policy.IpRange::parseLiteral).toList();
        return TestCa.csr(a, pair, new SubjectNames(dns, addresses, List.of(), List.of()), cn);
    }

    AcmeResponse finalizeOrder(JsonNode order, byte[] csrDer) throws Exception {
        return post(order.get("finalize").asString(), "{\"csr\":\"" + b64(csrDer) + "\"}");
    }
}
