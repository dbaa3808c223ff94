package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.server.CertwrightServer;
import io.certwright.server.ServerConfig;
import io.certwright.server.ServerOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/// What the revocation tests share: a server started with a plain-HTTP revocation listener on a free
/// loopback port, plain-HTTP requests to it, and reading OCSP and CRL answers.
final class RevocationClients {

    /// Safety net against a hung server; not a performance threshold.
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private RevocationClients() {
    }

    /// A loopback port nobody listens on now.
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /// Starts a server in `data` whose revocation listener is `127.0.0.1:<httpPort>`, with `extraYaml` added
    /// to its configuration file. A port taken between choosing and binding it (the machine is shared) is
    /// replaced by another free one; [CertwrightServer#revocationUrl()] tells the port in use.
    static CertwrightServer start(Path data, int httpPort, String extraYaml, Map<String, String> env)
            throws Exception {
        Files.createDirectories(data.getParent());
        Path config = data.resolveSibling(data.getFileName() + "-" + httpPort + ".yaml");
        int port = httpPort;
        for (int attempt = 1; ; attempt++) {
            Files.writeString(config, "revocation:\n  http-listen: 127.0.0.1:" + port + "\n" + extraYaml,
                    StandardCharsets.UTF_8);
            try {
                return CertwrightServer.start(ServerOptions.defaults().withDataDir(data)
                        .withListen(ServerConfig.parseListen("127.0.0.1:0")).withConfigFile(config)
                        .withEnvironment(env), Clock.systemUTC());
            } catch (IOException e) {
                if (!(e.getCause() instanceof java.net.BindException) || attempt == 5) {
                    throw e;
                }
                port = freePort();
            }
        }
    }

    static HttpResponse<byte[]> get(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> send(URI uri, String method, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (!contentType.isEmpty()) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /// The `responseStatus` of a DER OCSPResponse (0 successful, 1 malformedRequest, 6 unauthorized, ...).
    static int ocspStatus(byte[] der) {
        assertThat(der.length).as("OCSP response length").isGreaterThan(4);
        assertThat(der[0] & 0xFF).as("OCSPResponse is a SEQUENCE").isEqualTo(0x30);
        int at = 1;
        int first = der[at++] & 0xFF;
        if (first >= 0x80) {
            at += first & 0x7F;
        }
        assertThat(der[at] & 0xFF).as("responseStatus is an ENUMERATED").isEqualTo(0x0A);
        assertThat(der[at + 1] & 0xFF).as("responseStatus is one octet").isEqualTo(1);
        return der[at + 2] & 0xFF;
    }

    static X509CRL crl(byte[] der) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    /// Polls `condition` every 100 ms until it holds; fails after [#TIMEOUT], a safety net for a server that
    /// never gets there, not a performance threshold.
    static void eventually(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened within " + TIMEOUT.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    /// Runs a command, returning its exit code and combined output.
    static OpensslInteropTest.Result run(List<String> command) throws IOException, InterruptedException {
        return OpensslInteropTest.run(command);
    }
}
