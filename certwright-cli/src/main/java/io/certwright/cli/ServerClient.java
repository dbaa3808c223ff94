package io.certwright.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// The HTTPS client of the Certwright server's API: TLS 1.2 or 1.3 only, trusting exactly the given roots
/// (never anything else), optionally presenting a client certificate for mTLS, and sending a bearer token
/// when one is given. Error responses become [ServerProblem]s; failures to connect or to establish TLS
/// become one clear [CliException] naming the server and the roots it was checked against.
final class ServerClient {

    /// The JSON reader and writer of the client commands.
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /// A certificate and its key, presented to the server for mTLS.
    record Identity(PrivateKey key, List<X509Certificate> chain) {
        Identity {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("a client identity needs a certificate");
            }
        }
    }

    private final URI base;
    private final HttpClient http;
    private final Optional<String> token;
    private final String trustSource;

    private ServerClient(URI base, HttpClient http, Optional<String> token, String trustSource) {
        this.base = base;
        this.http = http;
        this.token = token;
        this.trustSource = trustSource;
    }

    /// A client of the server at `base` (an `https` URL) that trusts only `roots`, described to the user as
    /// `trustSource` when the server's certificate does not verify.
    static ServerClient connect(URI base, List<X509Certificate> roots, String trustSource, Optional<String> token,
            Optional<Identity> identity) throws GeneralSecurityException, CliException {
        checkUrl(base);
        if (roots.isEmpty()) {
            throw new CliException("no trusted roots in " + trustSource);
        }
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        try {
            anchors.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
        for (int i = 0; i < roots.size(); i++) {
            anchors.setCertificateEntry("root-" + i, roots.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        return connect(base, tmf.getTrustManagers(), trustSource, token, identity);
    }

    /// A client with explicit trust managers; [BootstrapCommand] uses this to read the public roots once,
    /// before it can verify anything.
    static ServerClient connect(URI base, TrustManager[] trustManagers, String trustSource, Optional<String> token,
            Optional<Identity> identity) throws GeneralSecurityException, CliException {
        checkUrl(base);
        SSLContext tls = SSLContext.getInstance("TLS");
        KeyManager @Nullable [] keyManagers = identity.isPresent()
                ? new KeyManager[] {new FixedKeyManager(identity.get())} : null;
        tls.init(keyManagers, trustManagers, null);
        SSLParameters parameters = tls.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        HttpClient http = HttpClient.newBuilder()
                .sslContext(tls)
                .sslParameters(parameters)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new ServerClient(base, http, token, trustSource);
    }

    /// Refuses anything but an absolute `https` URL without query or fragment.
    static void checkUrl(URI url) throws CliException {
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new CliException("the server URL must be an https URL such as https://127.0.0.1:8443, not '"
                    + url + "'");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new CliException("the server URL must not carry user info, a query or a fragment: '" + url + "'");
        }
    }

    URI base() {
        return base;
    }

    /// `GET path` answered with JSON.
    JsonNode get(String path) throws IOException, InterruptedException, ServerProblem, CliException {
        return json(path, send(request(path).GET().build(), path));
    }

    /// `POST path` with a JSON body, answered with JSON.
    JsonNode post(String path, Object body) throws IOException, InterruptedException, ServerProblem, CliException {
        HttpRequest r = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        return json(path, send(r, path));
    }

    /// `DELETE path`; the answer (204, no content) is read and discarded.
    void delete(String path) throws IOException, InterruptedException, ServerProblem, CliException {
        try (InputStream in = send(request(path).DELETE().build(), path)) {
            in.readAllBytes();
        }
    }

    /// `GET path` answered with text, such as `/roots.pem`.
    String getText(String path) throws IOException, InterruptedException, ServerProblem, CliException {
        try (InputStream in = send(request(path).header("Accept", "*/*").GET().build(), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /// `GET path`, copying the response body to `out` as it arrives.
    long download(String path, OutputStream out) throws IOException, InterruptedException, ServerProblem, CliException {
        try (InputStream in = send(request(path).header("Accept", "*/*").GET().build(), path)) {
            return in.transferTo(out);
        }
    }

    /// `GET path`, the response body as a stream the caller closes.
    InputStream stream(String path) throws IOException, InterruptedException, ServerProblem, CliException {
        return send(request(path).header("Accept", "*/*").GET().build(), path);
    }

    /// `path` with the query parameters whose values are present, in order, URL-encoded.
    static String query(String path, Map<String, Optional<String>> parameters) {
        StringJoiner q = new StringJoiner("&", path + "?", "").setEmptyValue(path);
        parameters.forEach((k, v) -> v.ifPresent(value -> q.add(encode(k) + "=" + encode(value))));
        return q.toString();
    }

    /// One URL path segment, percent-encoded.
    static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        String root = base.toString().replaceAll("/+$", "");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private InputStream send(HttpRequest request, String path)
            throws IOException, InterruptedException, ServerProblem, CliException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new CliException(describe(e));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        }
        if (status >= 300 && status < 400) {
            throw new ServerProblem(status, "", "HTTP " + status, "the server redirected " + path + " to "
                    + response.headers().firstValue("Location").orElse("nowhere") + "; pass the final URL with --server",
                    List.of());
        }
        throw ServerProblem.of(status, response.headers().firstValue("Content-Type").orElse(""), body);
    }

    private static JsonNode json(String path, InputStream body) throws IOException, CliException {
        try (InputStream in = body) {
            return JSON.readTree(in);
        } catch (JacksonException e) {
            throw new CliException("the server's answer to " + path + " is not valid JSON: "
                    + ErrorHandler.oneLine(e.getOriginalMessage()));
        }
    }

    /// One line saying why the server could not be reached.
    private String describe(IOException e) {
        String where = base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
        if (find(e, CertPathValidatorException.class) != null
                || messageContains(e, "PKIX path") || messageContains(e, "unable to find valid certification path")) {
            return "TLS handshake with " + where + " failed: the server's certificate is not issued by the roots in "
                    + trustSource;
        }
        CertificateException certificate = find(e, CertificateException.class);
        if (certificate != null) {
            return "TLS handshake with " + where + " failed: " + ErrorHandler.oneLine(String.valueOf(certificate.getMessage()));
        }
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            return "TLS handshake with " + where + " failed: " + ErrorHandler.oneLine(String.valueOf(tls.getMessage()));
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "cannot connect to " + base + ": timed out after " + CONNECT_TIMEOUT.toSeconds() + "s";
        }
        if (e instanceof HttpTimeoutException) {
            return "the server at " + base + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + "s";
        }
        if (find(e, UnknownHostException.class) != null || find(e, UnresolvedAddressException.class) != null) {
            return "cannot connect to " + base + ": unknown host " + base.getHost();
        }
        if (find(e, ConnectException.class) != null) {
            return "cannot connect to " + base + ": connection refused";
        }
        return "cannot talk to " + base + ": " + ErrorHandler.message(e);
    }

    private static <T extends Throwable> @Nullable T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean messageContains(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    /// Presents one certificate chain whatever the server asks for, so a chain whose issuer the server
    /// does not list is still sent (the server then says why it refuses it).
    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final Identity identity;

        FixedKeyManager(Identity identity) {
            this.identity = identity;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal @Nullable [] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal @Nullable [] issuers,
                @Nullable SSLEngine engine) {
            return ALIAS;
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
        public X509Certificate[] getCertificateChain(String alias) {
            return identity.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return identity.key();
        }
    }
}
