package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.SpiffeId;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/// Start-up, server certificate renewal and shutdown, each on its own server.
class ServerLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void firstStartLogsUrlFingerprintAndTokenPathButNoSecret() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try (TestServer t = new TestServer(dir.resolve("data"), Map.of())) {
            String all = String.join("\n", log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
            String passphrase = Files.readString(dir.resolve("data/secrets/ca.passphrase"), StandardCharsets.UTF_8).trim();
            assertThat(all).contains(t.server.url().toString()).contains(t.server.rootFingerprint())
                    .contains(t.server.adminTokenFile().toString()).contains("signing with");
            assertThat(all).doesNotContain(t.adminToken).doesNotContain(passphrase);
        } finally {
            root.detachAppender(log);
        }
    }

    @Test
    void jsonLogIsOneObjectPerLineWithTheStartUpFactsButNoSecret() throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        var jsonAppender = ServerLogging.attach(LogFormat.JSON, json);
        var textAppender = ServerLogging.attach(LogFormat.TEXT, text);
        try (TestServer t = new TestServer(dir.resolve("data"), Map.of("CERTWRIGHT_DATABASE_PASSWORD", "hunter2"))) {
            ServerLogging.remove(jsonAppender);
            ServerLogging.remove(textAppender);
            String passphrase = Files.readString(dir.resolve("data/secrets/ca.passphrase"), StandardCharsets.UTF_8).trim();
            List<String> lines = json.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).isNotEmpty();
            List<String> messages = new ArrayList<>();
            for (String line : lines) {
                JsonNode event = ServerApiTest.JSON_READER.readTree(line);
                assertThat(event.isObject()).as(line).isTrue();
                assertThat(event.get("level").asString()).as(line).isNotEmpty();
                assertThat(event.get("loggerName").asString()).as(line).startsWith("io.certwright");
                assertThat(event.has("arguments")).as(line).isFalse();
                messages.add(event.get("formattedMessage").asString());
            }
            assertThat(String.join("\n", messages)).contains(t.server.url().toString())
                    .contains(t.server.rootFingerprint()).contains(t.server.adminTokenFile().toString());
            for (String out : List.of(json.toString(StandardCharsets.UTF_8), text.toString(StandardCharsets.UTF_8))) {
                assertThat(out).contains(t.server.rootFingerprint()).doesNotContain(t.adminToken)
                        .doesNotContain(passphrase).doesNotContain("hunter2");
            }
            assertThat(text.toString(StandardCharsets.UTF_8).lines()).allSatisfy(l -> assertThat(l).doesNotStartWith("{"));
        } finally {
            ServerLogging.remove(jsonAppender);
            ServerLogging.remove(textAppender);
        }
    }

    @Test
    void passphraseFromTheEnvironmentIsNeverWrittenToDisk() throws Exception {
        try (TestServer t = new TestServer(dir.resolve("env"), Map.of("CERTWRIGHT_CA_PASSPHRASE", "correct horse"))) {
            assertThat(dir.resolve("env/secrets/ca.passphrase")).doesNotExist();
            assertThat(t.server.adminTokenFile()).exists();
        }
        try (TestServer again = new TestServer(dir.resolve("env"), Map.of("CERTWRIGHT_CA_PASSPHRASE", "correct horse"))) {
            assertThat(again.get("/readyz", "").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void serverCertificateIsRenewedAtTwoThirdsOfItsLifetimeAndSwappedWithoutRestart() throws Exception {
        try (TestServer t = new TestServer(dir.resolve("data"), Map.of())) {
            X509Certificate before = presented(t);
            assertThat(before.getSubjectAlternativeNames()).extracting(s -> String.valueOf(s.get(1)))
                    .contains("127.0.0.1", "localhost");
            assertThat(t.server.renewServerCertificateIfDue()).isFalse();
            t.clock.advance(Duration.ofDays(4));
            assertThat(t.server.renewServerCertificateIfDue()).isFalse();
            t.clock.advance(Duration.ofDays(1));
            assertThat(t.server.renewServerCertificateIfDue()).isTrue();
            X509Certificate after = presented(t);
            assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber())
                    .isEqualTo(t.server.serverCertificate().getSerialNumber());
        }
    }

    @Test
    void closeFinishesRequestsInFlightAndKeepsEveryCertificateAnyClientReceived() throws Exception {
        Path data = dir.resolve("data");
        List<String> received = new ArrayList<>();
        try (TestServer t = new TestServer(data, Map.of());
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                SubjectNames names = SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://certwright.local/w" + i));
                String body = ServerApiTest.issueBody(TestServer.csr(TestServer.newKey(), names), "svid", "1h");
                inFlight.add(clients.submit(() -> t.post("/api/v1/certificates", t.adminToken, body)));
            }
            Thread.sleep(0, 1);
            t.server.close();
            for (Future<HttpResponse<String>> f : inFlight) {
                try {
                    HttpResponse<String> r = f.get();
                    if (r.statusCode() == 201) {
                        received.add(ServerApiTest.JSON_READER.readTree(r.body()).get("serial").asString());
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // Refused after the listener stopped accepting: nothing was issued to this client.
                }
            }
        }
        try (TestServer restarted = new TestServer(data, Map.of())) {
            for (String serial : received) {
                assertThat(restarted.get("/api/v1/certificates/" + serial, restarted.adminToken).statusCode())
                        .as(serial).isEqualTo(200);
            }
        }
    }

    /// The certificate the server presents in a fresh TLS handshake, read without validating it.
    private static X509Certificate presented(TestServer t) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new AcceptAnything()}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", t.server.url().getPort())) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static final class AcceptAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

}
