package io.certwright.inventory.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/// Real servers on loopback for the scanner to meet: TLS servers presenting given chains (optionally one
/// per SNI name, optionally behind SMTP or PostgreSQL STARTTLS), a service that is not TLS, and one that
/// accepts and never answers. Each connection is served on a virtual thread.
final class TestServer implements AutoCloseable {

    /// What the server does with each accepted connection.
    enum Mode { TLS, SMTP_STARTTLS, SMTP_WITHOUT_STARTTLS, POSTGRES_STARTTLS, POSTGRES_NO_SSL, GARBAGE, SILENT }

    private final ServerSocket listener;
    private final Mode mode;
    private final SSLSocketFactory tls;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile String @Nullable [] namedGroups;
    private volatile String @Nullable [] protocols;

    private TestServer(Mode mode, SSLSocketFactory tls) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.mode = mode;
        this.tls = tls;
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    /// A TLS server presenting `issued` to everyone.
    static TestServer tls(TestPki.Issued issued) throws Exception {
        return new TestServer(Mode.TLS, context(Map.of("", issued)));
    }

    /// A TLS server presenting the chain registered for the SNI name sent, or the one under "" without SNI or
    /// for unknown names.
    static TestServer tlsBySni(Map<String, TestPki.Issued> byName) throws Exception {
        return new TestServer(Mode.TLS, context(byName));
    }

    /// A server in `mode`; `issued` is used for the modes that reach TLS.
    static TestServer of(Mode mode, TestPki.Issued issued) throws Exception {
        return new TestServer(mode, context(Map.of("", issued)));
    }

    /// A server in a mode that never reaches TLS.
    static TestServer plain(Mode mode) throws Exception {
        return new TestServer(mode, context(Map.of("", TestPki.selfSigned(TestPki.Spec.leaf("unused")))));
    }

    int port() {
        return listener.getLocalPort();
    }

    /// Connections accepted so far.
    int connections() {
        return accepted.get();
    }

    /// This server, accepting only the key exchange groups named (for example `x25519`) from now on.
    TestServer onlyGroups(String... groups) {
        namedGroups = groups.clone();
        return this;
    }

    /// This server, speaking only the protocol versions named (for example `TLSv1.2`) from now on.
    TestServer onlyProtocols(String... versions) {
        protocols = versions.clone();
        return this;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            switch (mode) {
                case TLS -> handshake(s);
                case SMTP_STARTTLS -> {
                    smtpUntilStarttls(s, true);
                    handshake(s);
                }
                case SMTP_WITHOUT_STARTTLS -> smtpUntilStarttls(s, false);
                case POSTGRES_STARTTLS -> {
                    s.getInputStream().readNBytes(8);
                    s.getOutputStream().write('S');
                    handshake(s);
                }
                case POSTGRES_NO_SSL -> {
                    s.getInputStream().readNBytes(8);
                    s.getOutputStream().write('N');
                }
                case GARBAGE -> {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    s.getInputStream().readNBytes(64);
                }
                case SILENT -> s.getInputStream().readAllBytes();
            }
        } catch (IOException | RuntimeException e) {
            // the scanner closing early, or a failed handshake the test is about: nothing to do here
        }
    }

    private void handshake(Socket s) throws IOException {
        try (SSLSocket ssl = (SSLSocket) tls.createSocket(s, null, s.getPort(), false)) {
            ssl.setUseClientMode(false);
            String[] groups = namedGroups;
            String[] versions = protocols;
            SSLParameters p = ssl.getSSLParameters();
            if (groups != null) {
                p.setNamedGroups(groups);
            }
            if (versions != null) {
                p.setProtocols(versions);
            }
            ssl.setSSLParameters(p);
            ssl.startHandshake();
            ssl.getInputStream().read();
        } catch (SocketException e) {
            // the client closed after its handshake
        }
    }

    private static void smtpUntilStarttls(Socket s, boolean offer) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        out.write("220 mail.test ESMTP ready\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        readLine(in);
        out.write(("250-mail.test greets you\r\n250-SIZE 1000000\r\n" + (offer ? "250-STARTTLS\r\n" : "")
                + "250 HELP\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (offer) {
            readLine(in);
            out.write("220 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } else {
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            b.append((char) c);
        }
        return b.toString();
    }

    private static SSLSocketFactory context(Map<String, TestPki.Issued> byName) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {new SniKeyManager(byName)}, null, new SecureRandom());
        return ctx.getSocketFactory();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
        acceptor.interrupt();
    }

    /// Picks the chain by the SNI name the client sent. A key manager of our own also keeps the JDK from
    /// refusing to serve the weak certificates under test.
    private static final class SniKeyManager extends X509ExtendedKeyManager {
        private final Map<String, TestPki.Issued> byName;

        SniKeyManager(Map<String, TestPki.Issued> byName) {
            this.byName = byName;
        }

        @Override
        public @Nullable String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return choose(keyType, engine.getHandshakeSession() instanceof ExtendedSSLSession e
                    ? e.getRequestedServerNames() : List.of());
        }

        @Override
        public @Nullable String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            List<SNIServerName> names = socket instanceof SSLSocket ssl
                    && ssl.getHandshakeSession() instanceof ExtendedSSLSession e ? e.getRequestedServerNames() : List.of();
            return choose(keyType, names);
        }

        private @Nullable String choose(String keyType, List<SNIServerName> names) {
            String alias = "";
            for (SNIServerName n : names) {
                if (n instanceof SNIHostName h && byName.containsKey(h.getAsciiName())) {
                    alias = h.getAsciiName();
                }
            }
            TestPki.Issued issued = byName.get(alias);
            if (issued == null) {
                return null;
            }
            return issued.privateKey().getAlgorithm().equals(keyType) ? alias : null;
        }

        @Override
        public X509Certificate @Nullable [] getCertificateChain(String alias) {
            TestPki.Issued issued = byName.get(alias);
            return issued == null ? null : issued.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public @Nullable PrivateKey getPrivateKey(String alias) {
            TestPki.Issued issued = byName.get(alias);
            return issued == null ? null : issued.privateKey();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return byName.keySet().toArray(String[]::new);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public @Nullable String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
