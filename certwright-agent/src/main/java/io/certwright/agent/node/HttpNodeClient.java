package io.certwright.agent.node;

import io.certwright.core.Durations;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/// The [NodeClient] of a Certwright server, over HTTPS with the JDK's [HttpClient].
///
/// **Trust.** The server's certificate must chain to one of the bootstrap roots given at construction (an
/// operator-supplied CA file) or, once the agent attested, to the roots the server returned with the
/// agent SVID. Host names are verified as for any HTTPS client; TLS 1.3 and 1.2 only.
///
/// **Authentication.** [#attest] goes without a client certificate. Every other call presents the agent SVID
/// and key the credentials supplier holds *at the time of the call*: when the supplier's answer changes (a
/// renewal, a re-attestation), the next call builds a new connection pool with the new certificate, so no
/// pooled connection keeps presenting the old one.
///
/// **Answers.** Statuses map to [NodeException.Kind]: connection failures, 5xx and 429 are
/// [NodeException.Kind#UNAVAILABLE], 401 and 403 [NodeException.Kind#DENIED], every other failure
/// [NodeException.Kind#INVALID]; the message carries the problem's type and detail. Bodies larger than
/// the call's limit, or missing a required field, are [NodeException.Kind#INVALID]. Unknown fields are
/// ignored, so a newer server can add some. A registration entry the agent cannot read (an unknown
/// selector syntax, say) is skipped with a warning rather than failing the whole list; a per-item error of
/// `POST /api/v1/node/svids` is logged and the item left out of the answer, as [NodeClient] specifies.
public final class HttpNodeClient implements NodeClient {

    /// Limit of every answer except the batch of SVIDs and the entry list: 1 MiB.
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    /// Limit of the entry list, which grows with the workloads of the node: 64 MiB (some 200,000 entries).
    public static final int MAX_ENTRIES_RESPONSE_BYTES = 64 * 1024 * 1024;
    /// Limit of the answer to `POST /api/v1/node/svids`: 16 MiB (1000 chains with room to spare).
    public static final int MAX_BATCH_RESPONSE_BYTES = 16 * 1024 * 1024;
    /// How long to wait for a connection to the server.
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /// How long to wait for a whole answer.
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(HttpNodeClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM_PREFIX = "https://certwright.io/problems/";
    private static final int MAX_DETAIL = 300;

    private final URI base;
    private final List<X509Certificate> bootstrapRoots;
    private final Supplier<Optional<AgentSvid>> credentials;
    private @Nullable Clients clients;

    /// A client of the server at `serverUrl` (an `https` URL, optionally with a path prefix).
    ///
    /// @param bootstrapRoots the roots to trust the server's certificate by before the agent has attested;
    ///     at least one
    /// @param credentials the agent SVID and key to present, read at each call
    /// @throws IllegalArgumentException when the URL is not `https` or there is no root
    public HttpNodeClient(URI serverUrl, List<X509Certificate> bootstrapRoots,
            Supplier<Optional<AgentSvid>> credentials) {
        Objects.requireNonNull(serverUrl, "serverUrl");
        if (!"https".equalsIgnoreCase(serverUrl.getScheme()) || serverUrl.getHost() == null) {
            throw new IllegalArgumentException("the server URL must be https://host[:port]: " + serverUrl);
        }
        if (serverUrl.getQuery() != null || serverUrl.getFragment() != null) {
            throw new IllegalArgumentException("the server URL must have no query or fragment: " + serverUrl);
        }
        String path = serverUrl.getRawPath() == null ? "" : serverUrl.getRawPath();
        this.base = serverUrl.resolve(path.endsWith("/") ? path : path + "/");
        this.bootstrapRoots = List.copyOf(bootstrapRoots);
        if (this.bootstrapRoots.isEmpty()) {
            throw new IllegalArgumentException("at least one root certificate is needed to trust the server");
        }
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /// A factory of clients trusting `bootstrapRoots` until the agent has the bundle, for [NodeClientFactory].
    public static NodeClientFactory factory(List<X509Certificate> bootstrapRoots) {
        List<X509Certificate> roots = List.copyOf(bootstrapRoots);
        return (url, creds) -> new HttpNodeClient(url, roots, creds);
    }

    // ------------------------------------------------------------------ the node API

    @Override
    public AgentIdentity attest(String joinToken, byte[] csrDer) throws NodeException {
        Objects.requireNonNull(joinToken, "joinToken");
        ObjectNode body = JSON.createObjectNode();
        body.put("join_token", joinToken);
        body.put("csr", Base64.getEncoder().encodeToString(csrDer));
        JsonNode answer = call(clients().anonymous(), post("api/v1/node/attest", body), MAX_RESPONSE_BYTES, 201);
        return agentIdentity(answer);
    }

    @Override
    public AgentIdentity renewAgent(byte[] csrDer) throws NodeException {
        ObjectNode body = JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(csrDer));
        return agentIdentity(call(authenticated(), post("api/v1/node/renew", body), MAX_RESPONSE_BYTES, 201));
    }

    @Override
    public EntrySnapshot entries() throws NodeException {
        HttpClient http = authenticated();
        SpiffeId self = self();
        JsonNode answer = call(http, get("api/v1/node/entries"), MAX_ENTRIES_RESPONSE_BYTES, 200);
        List<RegistrationEntry> entries = new ArrayList<>();
        for (JsonNode e : array(answer, "entries")) {
            try {
                entries.add(entry(e, self));
            } catch (NodeException | IllegalArgumentException ex) {
                LOG.warn("registration entry {} skipped: {}", abbreviate(e.path("id").asString("?")), ex.getMessage());
            }
        }
        return new EntrySnapshot(entries);
    }

    @Override
    public List<SignedSvid> signX509Svids(List<SvidRequest> requests) throws NodeException {
        if (requests.isEmpty()) {
            return List.of();
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode csrs = body.putArray("csrs");
        for (SvidRequest r : requests) {
            csrs.addObject().put("entry_id", r.entryId())
                    .put("csr", Base64.getEncoder().encodeToString(r.csrDer()));
        }
        JsonNode answer = call(authenticated(), post("api/v1/node/svids", body), MAX_BATCH_RESPONSE_BYTES, 200);
        List<SignedSvid> signed = new ArrayList<>();
        for (JsonNode s : array(answer, "svids")) {
            signed.add(new SignedSvid(text(s, "entry_id"), certificates(s, "chain")));
        }
        JsonNode errors = answer.get("errors");
        if (errors != null && errors.isArray()) {
            for (JsonNode e : errors) {
                LOG.warn("the server refused an SVID for entry {}: {}: {}", abbreviate(e.path("entry_id").asString("?")),
                        abbreviate(e.path("type").asString("?")), abbreviate(e.path("detail").asString("")));
            }
        }
        return signed;
    }

    @Override
    public String signJwtSvid(String entryId, List<String> audience) throws NodeException {
        ObjectNode body = JSON.createObjectNode();
        body.put("entry_id", entryId);
        ArrayNode aud = body.putArray("audience");
        audience.forEach(aud::add);
        return text(call(authenticated(), post("api/v1/node/jwt-svid", body), MAX_RESPONSE_BYTES, 200), "token");
    }

    @Override
    public Bundle bundle() throws NodeException {
        HttpClient http = authenticated();
        TrustDomain td = self().trustDomain();
        JsonNode answer = call(http, get("api/v1/node/bundle"), MAX_RESPONSE_BYTES, 200);
        List<X509Certificate> x509 = new ArrayList<>();
        ArrayNode jwtKeys = JSON.createArrayNode();
        for (JsonNode key : array(answer, "keys")) {
            String use = key.path("use").asString("");
            if (use.equals("x509-svid")) {
                List<X509Certificate> x5c = certificates(key, "x5c");
                x509.add(x5c.getFirst());
            } else if (use.equals("jwt-svid")) {
                if (!key.path("kid").isString() || key.path("kid").asString().isEmpty()) {
                    throw invalid("a JWT authority of the bundle has no kid");
                }
                jwtKeys.add(key);
            }
        }
        JsonNode sequence = answer.get("spiffe_sequence");
        if (sequence == null || !sequence.isIntegralNumber()) {
            throw invalid("the bundle has no spiffe_sequence");
        }
        ObjectNode jwks = JSON.createObjectNode();
        jwks.set("keys", jwtKeys);
        return new Bundle(td, x509, JSON.writeValueAsString(jwks), sequence.asLong());
    }

    // ------------------------------------------------------------------ parsing

    private AgentIdentity agentIdentity(JsonNode answer) throws NodeException {
        SpiffeId id = spiffeId(text(answer, "spiffe_id"), "spiffe_id");
        List<X509Certificate> chain = certificates(answer, "chain");
        List<X509Certificate> roots = certificates(answer, "bundle");
        return new AgentIdentity(id, chain, roots);
    }

    private static RegistrationEntry entry(JsonNode e, SpiffeId self) throws NodeException {
        String parentText = text(e, "parent_id");
        // A parent written certwright:node:<glob> names every matching node; this one is among them.
        SpiffeId parent = parentText.startsWith("spiffe://") ? spiffeId(parentText, "parent_id") : self;
        List<Selector> selectors = new ArrayList<>();
        for (JsonNode s : array(e, "selectors")) {
            selectors.add(Selector.parse(string(s, "selectors")));
        }
        List<String> dns = new ArrayList<>();
        JsonNode dnsNames = e.get("dns_names");
        if (dnsNames != null && !dnsNames.isNull()) {
            for (JsonNode d : array(e, "dns_names")) {
                dns.add(string(d, "dns_names"));
            }
        }
        JsonNode revision = e.get("revision");
        if (revision == null || !revision.isIntegralNumber()) {
            throw invalid("revision is missing");
        }
        JsonNode admin = e.get("admin");
        return new RegistrationEntry(text(e, "id"), spiffeId(text(e, "spiffe_id"), "spiffe_id"), parent, selectors,
                duration(text(e, "x509_svid_ttl"), "x509_svid_ttl"), duration(text(e, "jwt_svid_ttl"), "jwt_svid_ttl"),
                dns, admin != null && admin.isBoolean() && admin.asBoolean(), revision.asLong());
    }

    private static String text(JsonNode node, String field) throws NodeException {
        return string(node.get(field), field);
    }

    private static String string(@Nullable JsonNode value, String field) throws NodeException {
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            throw invalid("'" + field + "' is missing or not a string");
        }
        return value.asString();
    }

    private static ArrayNode array(JsonNode node, String field) throws NodeException {
        JsonNode value = node.get(field);
        if (value instanceof ArrayNode a) {
            return a;
        }
        throw invalid("'" + field + "' is missing or not an array");
    }

    private static SpiffeId spiffeId(String text, String field) throws NodeException {
        try {
            return SpiffeId.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field + " is not a SPIFFE ID: " + abbreviate(text));
        }
    }

    private static Duration duration(String text, String field) throws NodeException {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field + " is not a duration: " + abbreviate(text));
        }
    }

    /// The certificates of a non-empty array of base64 DER.
    private static List<X509Certificate> certificates(JsonNode node, String field) throws NodeException {
        ArrayNode array = array(node, field);
        if (array.isEmpty()) {
            throw invalid("'" + field + "' holds no certificate");
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (JsonNode c : array) {
                byte[] der = Base64.getDecoder().decode(string(c, field));
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (IllegalArgumentException | CertificateException e) {
            throw invalid("'" + field + "' holds something that is not a base64 DER certificate");
        }
        return out;
    }

    private static NodeException invalid(String message) {
        return new NodeException(NodeException.Kind.INVALID, "unexpected answer from the server: " + message);
    }

    // ------------------------------------------------------------------ HTTP

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                .GET();
    }

    private HttpRequest.Builder post(String path, JsonNode body) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }

    /// Sends the request and returns the JSON answer when the status is `expected`.
    private JsonNode call(HttpClient http, HttpRequest.Builder request, int limit, int expected) throws NodeException {
        HttpRequest r = request.build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new NodeException(NodeException.Kind.UNAVAILABLE, r.method() + " " + r.uri().getPath() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException(NodeException.Kind.UNAVAILABLE, "interrupted", e);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw new NodeException(NodeException.Kind.UNAVAILABLE, r.method() + " " + r.uri().getPath()
                    + ": the answer broke off", e);
        }
        int status = response.statusCode();
        if (status != expected) {
            throw failure(r, status, body);
        }
        if (body.length > limit) {
            throw invalid(r.uri().getPath() + " answered more than " + limit + " bytes");
        }
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw invalid(r.uri().getPath() + " answered something that is not a JSON object");
            }
            return json;
        } catch (JacksonException e) {
            throw invalid(r.uri().getPath() + " answered malformed JSON");
        }
    }

    private static NodeException failure(HttpRequest r, int status, byte[] body) {
        String problem = "";
        try {
            JsonNode p = JSON.readTree(body);
            if (p != null && p.isObject()) {
                String type = p.path("type").asString("");
                if (type.startsWith(PROBLEM_PREFIX)) {
                    type = type.substring(PROBLEM_PREFIX.length());
                }
                problem = ": " + abbreviate(type) + ": " + abbreviate(p.path("detail").asString(""));
            }
        } catch (JacksonException | IllegalArgumentException e) {
            // not a problem document; the status says enough
        }
        NodeException.Kind kind;
        if (status >= 500 || status == 429) {
            kind = NodeException.Kind.UNAVAILABLE;
        } else if (status == 401 || status == 403) {
            kind = NodeException.Kind.DENIED;
        } else {
            kind = NodeException.Kind.INVALID;
        }
        return new NodeException(kind, r.method() + " " + r.uri().getPath() + " answered " + status + problem);
    }

    private static String abbreviate(String s) {
        String clean = s.codePoints().map(c -> c < 32 || c == 127 ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() <= MAX_DETAIL ? clean : clean.substring(0, MAX_DETAIL) + "...";
    }

    // ------------------------------------------------------------------ TLS

    /// The agent's own SPIFFE ID; calls other than [#attest] need it.
    private SpiffeId self() throws NodeException {
        return credentials.get().orElseThrow(HttpNodeClient::unattested).identity().spiffeId();
    }

    /// The failure of a call that needs the agent SVID before there is one.
    private static NodeException unattested() {
        return new NodeException(NodeException.Kind.DENIED, "the agent has not attested yet: no SVID to "
                + "authenticate with");
    }

    private HttpClient authenticated() throws NodeException {
        HttpClient http = clients().authenticated();
        if (http == null) {
            throw unattested();
        }
        return http;
    }

    /// The HTTP clients for the current credentials, built anew when they changed.
    private synchronized Clients clients() throws NodeException {
        Optional<AgentSvid> current = credentials.get();
        Clients c = clients;
        if (c != null && c.credentials().equals(current)) {
            return c;
        }
        Clients next;
        try {
            next = Clients.build(bootstrapRoots, current);
        } catch (GeneralSecurityException | IOException e) {
            throw new NodeException(NodeException.Kind.INVALID, "cannot set up TLS: " + e.getMessage(), e);
        }
        if (c != null) {
            c.shutdown();
        }
        clients = next;
        return next;
    }

    /// The two connection pools: without a client certificate, and with the agent SVID (when there is one).
    private record Clients(Optional<AgentSvid> credentials, HttpClient anonymous, @Nullable HttpClient authenticated) {

        static Clients build(List<X509Certificate> bootstrap, Optional<AgentSvid> credentials)
                throws GeneralSecurityException, IOException {
            Set<X509Certificate> roots = new LinkedHashSet<>(bootstrap);
            credentials.ifPresent(a -> roots.addAll(a.identity().roots()));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate root : roots) {
                trust.setCertificateEntry("root-" + i++, root);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            HttpClient anonymous = http(tls(null, tmf));
            HttpClient authenticated = credentials.isEmpty() ? null
                    : http(tls(new KeyManager[] {new AgentKeyManager(credentials.get())}, tmf));
            return new Clients(credentials, anonymous, authenticated);
        }

        private static SSLContext tls(KeyManager @Nullable [] keys, TrustManagerFactory trust)
                throws GeneralSecurityException {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust.getTrustManagers(), null);
            return ctx;
        }

        private static HttpClient http(SSLContext ctx) {
            SSLParameters params = ctx.getDefaultSSLParameters();
            params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            return HttpClient.newBuilder().sslContext(ctx).sslParameters(params).connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }

        void shutdown() {
            anonymous.shutdown();
            if (authenticated != null) {
                authenticated.shutdown();
            }
        }

        @Override
        public String toString() {
            return "Clients[" + credentials + "]";
        }
    }

    /// Presents one agent SVID as the TLS client certificate.
    private static final class AgentKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "agent";
        private final X509Certificate[] chain;
        private final PrivateKey key;

        AgentKeyManager(AgentSvid svid) {
            this.chain = svid.identity().chain().toArray(X509Certificate[]::new);
            this.key = svid.privateKey();
        }

        private @Nullable String alias(String @Nullable [] keyTypes) {
            if (keyTypes == null) {
                return ALIAS;
            }
            String algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
            for (String t : keyTypes) {
                if (t != null && t.toUpperCase(Locale.ROOT).startsWith(algorithm)) {
                    return ALIAS;
                }
            }
            return null;
        }

        @Override
        public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
            return alias(new String[] {keyType}) == null ? null : new String[] {ALIAS};
        }

        @Override
        public @Nullable String chooseClientAlias(String @Nullable [] keyType, Principal @Nullable [] issuers,
                @Nullable Socket socket) {
            return alias(keyType);
        }

        @Override
        public @Nullable String chooseEngineClientAlias(String @Nullable [] keyType, Principal @Nullable [] issuers,
                @Nullable SSLEngine engine) {
            return alias(keyType);
        }

        @Override
        public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
            return null;
        }

        @Override
        public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers,
                @Nullable Socket socket) {
            return null;
        }

        @Override
        public X509Certificate @Nullable [] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public @Nullable PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    @Override
    public String toString() {
        return "HttpNodeClient[" + base + "]";
    }
}
