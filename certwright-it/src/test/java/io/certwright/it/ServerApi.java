package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.Csrs;
import io.certwright.ca.Pem;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// A client of a running server's REST API v1: HTTPS trusting the server's root, the admin token, and the
/// few calls the end-to-end tests need (issue, read, list every page, revoke, read the whole audit log).
final class ServerApi {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /// Per-request limit; a safety net against a hung server, not a performance threshold.
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int PAGE = 1000;

    private final URI base;
    private final String token;
    private final HttpClient http;

    ServerApi(URI base, X509Certificate root, String token) throws GeneralSecurityException, IOException {
        this.base = base;
        this.token = token;
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(REQUEST_TIMEOUT).build();
    }

    /// A certificate as the issuing client received it.
    record Received(String serial, String pem) {
    }

    /// A fresh P-256 key and a PEM CSR for `spiffeId`, made the way a workload makes them.
    static String csr(SpiffeId spiffeId) throws GeneralSecurityException {
        KeyPair key = CryptoProviders.generate(KeyAlgorithm.P256);
        return Pem.csr(Csrs.create(JcaSigningKey.of(KeyAlgorithm.P256, key.getPrivate(), key.getPublic()),
                SubjectNames.ofSpiffeId(spiffeId), Optional.empty()));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, Map<String, Object> body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /// `POST /api/v1/certificates` for an SVID; the response as received, whatever its status.
    HttpResponse<String> requestSvid(SpiffeId spiffeId) throws GeneralSecurityException, IOException,
            InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csr", csr(spiffeId));
        body.put("profile", "svid");
        body.put("ttl", "1h");
        return post("/api/v1/certificates", body);
    }

    /// Issues an SVID and returns it; fails the test unless the server answers 201.
    Received issueSvid(SpiffeId spiffeId) throws Exception {
        HttpResponse<String> r = requestSvid(spiffeId);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return received(r);
    }

    static Received received(HttpResponse<String> created) {
        JsonNode body = JSON.readTree(created.body());
        return new Received(body.get("serial").asString(), body.get("certificate").asString());
    }

    /// `GET /api/v1/certificates/{serial}` as JSON; fails the test unless it is found.
    JsonNode certificate(String serial) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/certificates/" + serial);
        assertThat(r.statusCode()).as("GET certificate %s: %s", serial, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /// Every certificate the listing returns for `filter` (e.g. `status=pending`, or empty), following
    /// cursors to the last page, in the order served.
    List<JsonNode> listAll(String filter) throws IOException, InterruptedException {
        List<JsonNode> items = new ArrayList<>();
        String cursor = "";
        do {
            String query = "?limit=" + PAGE + (filter.isEmpty() ? "" : "&" + filter) + cursor;
            HttpResponse<String> r = get("/api/v1/certificates" + query);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(r.body());
            page.get("items").forEach(items::add);
            JsonNode next = page.get("next_cursor");
            cursor = next == null || next.isNull() ? ""
                    : "&cursor=" + URLEncoder.encode(next.asString(), StandardCharsets.UTF_8);
        } while (!cursor.isEmpty());
        return items;
    }

    /// The whole audit log, read page by page through `GET /api/v1/audit`.
    List<AuditEntry> auditLog() throws IOException, InterruptedException {
        List<AuditEntry> entries = new ArrayList<>();
        long from = 1;
        while (true) {
            HttpResponse<String> r = get("/api/v1/audit?from=" + from + "&limit=" + PAGE);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(r.body());
            for (JsonNode e : page.get("entries")) {
                entries.add(auditEntry(e));
            }
            JsonNode next = page.get("next");
            if (next == null || next.isNull()) {
                return entries;
            }
            from = next.asLong();
        }
    }

    private static AuditEntry auditEntry(JsonNode e) {
        Map<String, String> details = new LinkedHashMap<>();
        e.get("details").properties().forEach(d -> details.put(d.getKey(), d.getValue().asString()));
        AuditEvent event = new AuditEvent(e.get("actor").asString(), e.get("action").asString(),
                e.get("target").asString(), AuditEvent.Outcome.parse(e.get("outcome").asString()), details);
        return new AuditEntry(e.get("sequence").asLong(), Instant.parse(e.get("time").asString()), event,
                e.get("previous_hash").asString(), e.get("hash").asString());
    }
}
