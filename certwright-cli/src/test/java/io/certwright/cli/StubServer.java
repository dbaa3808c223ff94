package io.certwright.cli;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.certwright.ca.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/// A scripted HTTPS server on 127.0.0.1 for testing the client side alone: each path (with its query)
/// answers with a fixed status, content type and body, and every request is recorded.
final class StubServer implements AutoCloseable {

    /// A canned answer.
    record Answer(int status, String contentType, String body) {
    }

    /// A request the stub received.
    record Request(String method, String target, String authorization, String body) {
    }

    private final HttpsServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    /// Serves TLS with the certificate chain in `certDir/chain.pem` and the key in `certDir/key.pem`.
    StubServer(Path certDir) throws Exception {
        List<X509Certificate> chain = Pem.readCertificates(Files.readAllBytes(certDir.resolve("chain.pem")), "chain");
        PrivateKey key = Pem.readPrivateKey(Files.readString(certDir.resolve("key.pem")), "key");
        char[] pw = "stub".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, pw, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, pw);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), target,
                    String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")), body));
            Answer a = answers.getOrDefault(target, new Answer(404, "application/problem+json",
                    "{\"type\":\"https://certwright.io/problems/not-found\",\"title\":\"Not found\",\"detail\":\"" + target + "\"}"));
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", a.contentType());
            exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException e) {
                // the client went away
            }
        });
        server.start();
    }

    StubServer answer(String target, int status, String contentType, String body) {
        answers.put(target, new Answer(status, contentType, body));
        return this;
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
