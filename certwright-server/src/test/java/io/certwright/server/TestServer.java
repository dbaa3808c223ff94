package io.certwright.server;

import io.certwright.ca.Csrs;
import io.certwright.ca.Pem;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/// A server on an ephemeral port in a temporary directory, with an HTTP client trusting its root.
final class TestServer implements AutoCloseable {

    final MutableClock clock;
    final CertwrightServer server;
    final HttpClient client;
    final String adminToken;
    final Path dataDir;

    TestServer(Path dataDir, Map<String, String> env) throws Exception {
        this(dataDir, env, "127.0.0.1:0");
    }

    /// A server listening on `listen` (`HOST:PORT`).
    TestServer(Path dataDir, Map<String, String> env, String listen) throws Exception {
        this.dataDir = dataDir;
        // Ten minutes behind real time, so moving the clock forward a little never makes a certificate
        // "not yet valid" for the JDK's real-time checks.
        this.clock = MutableClock.at(Instant.now().minus(Duration.ofMinutes(10)));
        ServerOptions options = ServerOptions.defaults().withDataDir(dataDir)
                .withListen(ServerConfig.parseListen(listen)).withEnvironment(env);
        this.server = CertwrightServer.start(options, clock);
        this.client = client(Optional.empty());
        this.adminToken = Files.readString(server.adminTokenFile(), StandardCharsets.US_ASCII).trim();
    }

    /// A client trusting the server's root, presenting `clientCert` (key + chain) when given.
    HttpClient client(Optional<KeyStore> clientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", server.root());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (clientCert.isPresent()) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(clientCert.get(), "x".toCharArray());
        }
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static KeyStore keyStore(KeyPair key, List<X509Certificate> chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key.getPrivate(), "x".toCharArray(), chain.toArray(new Certificate[0]));
        return ks;
    }

    static KeyPair newKey() throws Exception {
        return CryptoProviders.generate(KeyAlgorithm.P256);
    }

    static String csr(KeyPair key, SubjectNames names) throws Exception {
        return Pem.csr(Csrs.create(JcaSigningKey.of(KeyAlgorithm.P256, key.getPrivate(), key.getPublic()), names,
                Optional.empty()));
    }

    HttpResponse<String> send(String method, String path, Optional<String> token, Optional<String> contentType,
            String body, HttpClient via) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body.isEmpty() && !method.equals("POST") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> b.header("Authorization", t.startsWith("!") ? t.substring(1) : "Bearer " + t));
        contentType.ifPresent(c -> b.header("Content-Type", c));
        return via.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String json) throws Exception {
        return send("POST", path, Optional.of(token), Optional.of("application/json"), json, client);
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return send("GET", path, Optional.of(token), Optional.empty(), "", client);
    }

    static List<X509Certificate> certificates(String pem) throws Exception {
        return Pem.readCertificates(pem.getBytes(StandardCharsets.US_ASCII), "response");
    }


    @Override
    public void close() {
        server.close();
    }
}
