package io.certwright.it;

import com.sun.net.httpserver.HttpServer;
import io.certwright.acme.validation.TestDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/// What an ACME client runs to prove control of its names, on loopback: an authoritative DNS server for the
/// test names (A records and `_acme-challenge` TXT records), an HTTP server answering
/// `/.well-known/acme-challenge/<token>`, and a TLS server answering tls-alpn-01 with `acme-tls/1` and the
/// certificate the test sets.
final class ChallengeResponders implements AutoCloseable {

    final TestDnsServer dns;
    final Http01 http01;
    final TlsAlpn01 tlsAlpn01;

    private ChallengeResponders(TestDnsServer dns, Http01 http01, TlsAlpn01 tlsAlpn01) {
        this.dns = dns;
        this.http01 = http01;
        this.tlsAlpn01 = tlsAlpn01;
    }

    static ChallengeResponders start() throws IOException {
        TestDnsServer dns = TestDnsServer.start();
        try {
            return new ChallengeResponders(dns, Http01.start(), TlsAlpn01.start());
        } catch (IOException | RuntimeException e) {
            dns.close();
            throw e;
        }
    }

    /// The `acme:` section of a server configuration validating against these responders, with the
    /// `provisioners` list given as YAML lines indented by four spaces, and `extra` (indented by two) after it.
    String acmeYaml(String provisioners, String extra) {
        return acmeYaml(http01.port(), provisioners, extra);
    }

    /// As [#acmeYaml(String, String)], with http-01 validated on `http01Port` (a client's own responder,
    /// such as certbot's standalone server) instead of the one here.
    String acmeYaml(int http01Port, String provisioners, String extra) {
        return "acme:\n"
                + "  validation:\n"
                + "    http01Port: " + http01Port + "\n"
                + "    tlsAlpn01Port: " + tlsAlpn01.port() + "\n"
                + "    dnsServer: \"" + dns.hostPort() + "\"\n"
                + "    timeout: 10s\n"
                + "  provisioners:\n" + provisioners + extra;
    }

    @Override
    public void close() {
        http01.close();
        tlsAlpn01.close();
        dns.close();
    }

    /// Serves the key authorizations of http-01 challenges by token, and counts the requests it answered.
    static final class Http01 implements AutoCloseable {

        private final HttpServer server;
        private final Map<String, String> tokens = new ConcurrentHashMap<>();
        private final List<String> served = new CopyOnWriteArrayList<>();

        private Http01(HttpServer server) {
            this.server = server;
        }

        static Http01 start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            Http01 h = new Http01(server);
            server.createContext("/.well-known/acme-challenge/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().close();
                    String path = exchange.getRequestURI().getPath();
                    String token = path.substring(path.lastIndexOf('/') + 1);
                    String answer = h.tokens.get(token);
                    if (answer == null) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    h.served.add(token);
                    byte[] body = answer.getBytes(StandardCharsets.US_ASCII);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return h;
        }

        int port() {
            return server.getAddress().getPort();
        }

        void put(String token, String keyAuthorization) {
            tokens.put(token, keyAuthorization);
        }

        /// The tokens a validator fetched, in order.
        List<String> served() {
            return List.copyOf(served);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /// Answers tls-alpn-01 (RFC 8737): selects `acme-tls/1` and presents the certificate set last.
    static final class TlsAlpn01 implements AutoCloseable {

        private final ServerSocket listener;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile @Nullable SSLContext context;

        private TlsAlpn01(ServerSocket listener) {
            this.listener = listener;
            Thread.ofVirtual().name("it-tls-alpn-01").start(this::acceptLoop);
        }

        static TlsAlpn01 start() throws IOException {
            return new TlsAlpn01(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }

        int port() {
            return listener.getLocalPort();
        }

        /// Presents `certificate` (signed by `key`) from now on.
        void present(KeyPair key, X509Certificate certificate) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = "responder".toCharArray();
            store.setKeyEntry("acme", key.getPrivate(), password, new X509Certificate[] {certificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(keys.getKeyManagers(), null, new SecureRandom());
            context = c;
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                Socket plain;
                try {
                    plain = listener.accept();
                } catch (IOException e) {
                    return;
                }
                open.add(plain);
                Thread.ofVirtual().start(() -> serve(plain));
            }
        }

        private void serve(Socket plain) {
            SSLContext c = context;
            try (plain) {
                if (c == null) {
                    return;
                }
                SSLSocket tls = (SSLSocket) c.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
                tls.setUseClientMode(false);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setApplicationProtocols(new String[] {"acme-tls/1"});
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                // The validator closes the connection once it has seen the certificate.
                int ignored = tls.getInputStream().read();
            } catch (IOException e) {
                // A validator that hangs up mid-handshake, or a closed responder.
            } finally {
                open.remove(plain);
            }
        }

        @Override
        public void close() {
            try {
                listener.close();
                for (Socket s : open) {
                    s.close();
                }
            } catch (IOException ignored) {
                // Closing for the end of the test; nothing to report.
            }
        }
    }
}
