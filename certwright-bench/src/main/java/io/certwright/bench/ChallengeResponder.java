package io.certwright.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/// The ACME benchmark's http-01 responder: a plain-HTTP server on loopback answering
/// `GET /.well-known/acme-challenge/<token>` with the key authorization the load generator published for
/// that token, one virtual thread per exchange. Unknown tokens get 404 and are counted, so a server that
/// asks for the wrong token shows in the report.
final class ChallengeResponder implements AutoCloseable {

    private static final String PREFIX = "/.well-known/acme-challenge/";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();

    private ChallengeResponder(HttpServer server) {
        this.server = server;
    }

    /// Starts a responder on `127.0.0.1:port` (0: any free port).
    static ChallengeResponder start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        ChallengeResponder responder = new ChallengeResponder(server);
        server.createContext("/", responder::handle);
        server.setExecutor(responder.executor);
        server.start();
        return responder;
    }

    /// The port it listens on.
    int port() {
        return server.getAddress().getPort();
    }

    /// Answers `token` with `keyAuthorization` from now on.
    void publish(String token, String keyAuthorization) {
        answers.put(token, keyAuthorization.getBytes(StandardCharsets.US_ASCII));
    }

    /// Stops answering `token`.
    void withdraw(String token) {
        answers.remove(token);
    }

    /// Challenge requests answered with a key authorization so far.
    long served() {
        return served.get();
    }

    /// Requests for unknown tokens or other paths so far.
    long unknown() {
        return unknown.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body = "GET".equals(exchange.getRequestMethod()) && path.startsWith(PREFIX)
                    ? answers.get(path.substring(PREFIX.length())) : null;
            if (body == null) {
                unknown.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            served.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
