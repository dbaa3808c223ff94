package io.certwright.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// A lean ACME (RFC 8555) client for the benchmark, one per load worker: one account, ES256 JWS with the
/// account's P-256 key, the replay nonce carried from each answer to the next request, and one method that
/// takes an order from `newOrder` to the downloaded certificate through an http-01 challenge.
///
/// It polls at a fixed interval and ignores `Retry-After` (counting the answers that carried one), so
/// every server is polled on the same schedule. Every answer is checked: an unexpected status, a problem
/// document, an `invalid` object or a certificate that is not for the order's name and key is an
/// [AcmeFailure], never retried.
final class AcmeClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String JOSE_JSON = "application/jose+json";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /// Longest an order may take before it counts as failed.
    private static final Duration ORDER_DEADLINE = Duration.ofSeconds(60);

    /// The directory's endpoints this client uses.
    record Directory(URI newNonce, URI newAccount, URI newOrder) {
    }

    /// One pre-generated order: its DNS name and a CSR for it (DER, base64url as `finalize` takes it) with
    /// the CSR's public key.
    record PreparedOrder(String name, String csr, PublicKey key) {
    }

    /// Counters of one worker's requests.
    static final class Counters {
        long requests;
        long polls;
        long retryAfter;
    }

    /// An answer that is not what the protocol says it should be.
    static final class AcmeFailure extends IOException {
        private static final long serialVersionUID = 1L;

        AcmeFailure(String message) {
            super(message);
        }
    }

    private record Answer(int status, HttpHeaders headers, String text) {

        JsonNode json() throws AcmeFailure {
            try {
                return JSON.readTree(text);
            } catch (JacksonException e) {
                throw new AcmeFailure("the answer is not JSON: " + LoadDriver.abbreviate(text));
            }
        }
    }

    private final HttpClient http;
    private final Directory directory;
    private final ECKey key;
    private final JWSSigner signer;
    private final String thumbprint;
    private final Duration pollInterval;
    private final ChallengeResponder responder;
    private final Counters counters = new Counters();
    private @Nullable String accountUrl;
    private @Nullable String nonce;

    AcmeClient(HttpClient http, Directory directory, Duration pollInterval, ChallengeResponder responder) {
        this.http = http;
        this.directory = directory;
        this.pollInterval = pollInterval;
        this.responder = responder;
        try {
            this.key = new ECKeyGenerator(Curve.P_256).generate();
            this.signer = new ECDSASigner(key);
            this.thumbprint = key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make a P-256 account key", e);
        }
    }

    /// Reads the directory at `uri`; a server without one fails saying it did not serve that path.
    static Directory directory(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new AcmeFailure("the server did not serve " + uri.getPath() + " (HTTP " + r.statusCode() + ": "
                    + LoadDriver.abbreviate(new String(r.body(), StandardCharsets.UTF_8)) + ")");
        }
        JsonNode d;
        try {
            d = JSON.readTree(r.body());
        } catch (JacksonException e) {
            throw new AcmeFailure("the server did not serve an ACME directory at " + uri.getPath() + ": "
                    + LoadDriver.abbreviate(new String(r.body(), StandardCharsets.UTF_8)));
        }
        String[] names = {"newNonce", "newAccount", "newOrder"};
        URI[] urls = new URI[names.length];
        for (int i = 0; i < names.length; i++) {
            String u = d.path(names[i]).asString("");
            if (u.isEmpty()) {
                throw new AcmeFailure("the directory at " + uri.getPath() + " has no " + names[i]);
            }
            urls[i] = URI.create(u);
        }
        return new Directory(urls[0], urls[1], urls[2]);
    }

    /// This worker's request counters.
    Counters counters() {
        return counters;
    }

    /// Creates the account (terms agreed, no contact).
    void register() throws IOException, InterruptedException {
        Answer a = post(directory.newAccount(), "{\"termsOfServiceAgreed\":true}", true);
        expect(a, 201, "newAccount");
        accountUrl = a.headers().firstValue("Location")
                .orElseThrow(() -> new AcmeFailure("newAccount answered without a Location"));
    }

    /// One whole order: `newOrder` for the prepared name, its authorization, the http-01 challenge answered
    /// through the responder, finalization with the prepared CSR, and the certificate downloaded and checked.
    void order(PreparedOrder order) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + ORDER_DEADLINE.toNanos();
        Answer created = post(directory.newOrder(),
                "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"" + order.name() + "\"}]}", false);
        expect(created, 201, "newOrder");
        URI orderUrl = URI.create(created.headers().firstValue("Location")
                .orElseThrow(() -> new AcmeFailure("newOrder answered without a Location")));
        JsonNode o = created.json();
        JsonNode authorizations = o.path("authorizations");
        if (authorizations.size() != 1) {
            throw new AcmeFailure("newOrder for one identifier listed " + authorizations.size() + " authorizations");
        }
        URI finalizeUrl = URI.create(text(o, "finalize"));
        URI authzUrl = URI.create(authorizations.get(0).asString());

        JsonNode authz = getJson(authzUrl, "authorization");
        if (!"pending".equals(authz.path("status").asString())) {
            throw new AcmeFailure("a new order's authorization is " + authz.path("status").asString()
                    + ", not pending (was an authorization reused?)");
        }
        JsonNode challenge = null;
        for (JsonNode c : authz.path("challenges")) {
            if ("http-01".equals(c.path("type").asString())) {
                challenge = c;
            }
        }
        if (challenge == null) {
            throw new AcmeFailure("the authorization offers no http-01 challenge: " + authz);
        }
        String token = text(challenge, "token");
        responder.publish(token, token + "." + thumbprint);
        try {
            Answer started = post(URI.create(text(challenge, "url")), "{}", false);
            expect(started, 200, "challenge");
            String status = started.json().path("status").asString();
            if ("invalid".equals(status)) {
                throw new AcmeFailure("the challenge failed: " + started.text());
            }
            // A challenge already valid means its authorization is; otherwise the authorization is polled.
            while (!"valid".equals(status)) {
                pause(deadline, "the authorization");
                JsonNode a = getJson(authzUrl, "authorization");
                status = a.path("status").asString();
                if (!"pending".equals(status) && !"valid".equals(status)) {
                    throw new AcmeFailure("the authorization became " + status + ": " + a);
                }
            }
        } finally {
            responder.withdraw(token);
        }

        Answer finalized = post(finalizeUrl, "{\"csr\":\"" + order.csr() + "\"}", false);
        expect(finalized, 200, "finalize");
        JsonNode state = finalized.json();
        while (!"valid".equals(state.path("status").asString())) {
            String status = state.path("status").asString();
            if (!"processing".equals(status) && !"ready".equals(status)) {
                throw new AcmeFailure("the order became " + status + " after finalize: " + state);
            }
            pause(deadline, "the order");
            state = getJson(orderUrl, "order");
        }
        Answer download = post(URI.create(text(state, "certificate")), "", false);
        expect(download, 200, "certificate download");
        check(download, order);
    }

    private JsonNode getJson(URI url, String what) throws IOException, InterruptedException {
        Answer a = post(url, "", false);
        expect(a, 200, what);
        return a.json();
    }

    private void pause(long deadline, String what) throws InterruptedException, AcmeFailure {
        if (System.nanoTime() > deadline) {
            throw new AcmeFailure(what + " was not valid after " + ORDER_DEADLINE.toSeconds() + " s");
        }
        counters.polls++;
        Thread.sleep(pollInterval);
    }

    private static void check(Answer download, PreparedOrder order) throws AcmeFailure {
        Collection<? extends Certificate> chain;
        try {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(download.text().getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new AcmeFailure("the download is not a PEM certificate chain: " + e.getMessage());
        }
        if (chain.isEmpty() || !(chain.iterator().next() instanceof X509Certificate leaf)) {
            throw new AcmeFailure("the download holds no certificate");
        }
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), order.key().getEncoded())) {
            throw new AcmeFailure("the certificate for " + order.name() + " is not for the CSR's key");
        }
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans == null || sans.stream().noneMatch(s -> Integer.valueOf(2).equals(s.get(0))
                    && order.name().equals(s.get(1)))) {
                throw new AcmeFailure("the certificate does not name " + order.name() + ": " + sans);
            }
        } catch (CertificateParsingException e) {
            throw new AcmeFailure("the certificate's names do not parse: " + e.getMessage());
        }
    }

    private static void expect(Answer a, int status, String what) throws AcmeFailure {
        if (a.status() != status) {
            throw new AcmeFailure(what + " answered HTTP " + a.status() + " (expected " + status + "): "
                    + LoadDriver.abbreviate(a.text()));
        }
    }

    private static String text(JsonNode node, String field) throws AcmeFailure {
        String v = node.path(field).asString("");
        if (v.isEmpty()) {
            throw new AcmeFailure("'" + field + "' is missing from " + LoadDriver.abbreviate(node.toString()));
        }
        return v;
    }

    /// A JWS-signed POST (`payload` empty: POST-as-GET), with the account's `jwk` (before the account
    /// exists) or its URL as `kid`.
    private Answer post(URI url, String payload, boolean withJwk) throws IOException, InterruptedException {
        String n = nonce;
        nonce = null;
        if (n == null) {
            n = freshNonce();
        }
        JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .customParam("nonce", n).customParam("url", url.toString());
        if (withJwk) {
            h.jwk(key.toPublicJWK());
        } else {
            h.keyID(Objects.requireNonNull(accountUrl, "no account yet"));
        }
        JWSObject jws = new JWSObject(h.build(), new Payload(payload));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with the account key", e);
        }
        String body = JSON.writeValueAsString(Map.of("protected", jws.getHeader().toBase64URL().toString(),
                "payload", jws.getPayload().toBase64URL().toString(), "signature", jws.getSignature().toString()));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", JOSE_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        counters.requests++;
        nonce = r.headers().firstValue("Replay-Nonce").orElse(null);
        if (r.headers().firstValue("Retry-After").isPresent()) {
            counters.retryAfter++;
        }
        return new Answer(r.statusCode(), r.headers(), r.body());
    }

    private String freshNonce() throws IOException, InterruptedException {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(directory.newNonce()).timeout(REQUEST_TIMEOUT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        counters.requests++;
        return r.headers().firstValue("Replay-Nonce")
                .orElseThrow(() -> new AcmeFailure("newNonce answered HTTP " + r.statusCode() + " without a nonce"));
    }

    /// Forgets the nonce, so the next request fetches a fresh one (after a failure).
    void dropNonce() {
        nonce = null;
    }
}
