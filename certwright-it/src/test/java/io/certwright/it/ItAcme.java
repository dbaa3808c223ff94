package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.certwright.ca.Pem;
import io.certwright.server.CertwrightServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/// What the ACME end-to-end tests share: starting a server whose ACME validators use
/// [ChallengeResponders], trusting its root, and acme4j sessions that trust it too.
final class ItAcme {

    static final Map<String, String> ENV = Map.of("CERTWRIGHT_CA_PASSPHRASE", "acme end-to-end test");
    /// Safety net for a validation that never ends; not a performance threshold.
    static final Duration WAIT = Duration.ofSeconds(60);

    private ItAcme() {
    }

    /// Starts a server in `data` with `yaml` (the `acme:` section and anything else) in its configuration.
    static CertwrightServer start(Path data, String yaml) throws Exception {
        return RevocationClients.start(data, RevocationClients.freePort(), yaml, ENV);
    }

    /// The admin API client of `server`.
    static ServerApi api(CertwrightServer server) throws Exception {
        return new ServerApi(server.url(), server.root(), Files.readString(server.adminTokenFile()).strip());
    }

    /// The roots `GET /roots.pem` serves, as a client fetches them.
    static List<X509Certificate> roots(ServerApi api) throws Exception {
        HttpResponse<String> r = api.get("/roots.pem");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Pem.readCertificates(r.body().getBytes(StandardCharsets.US_ASCII), "roots.pem");
    }

    /// Writes the roots `GET /roots.pem` serves into `file`, as an operator hands them to a client.
    static Path writeRoots(ServerApi api, Path file) throws Exception {
        HttpResponse<String> r = api.get("/roots.pem");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Files.writeString(file, r.body());
    }

    /// A TLS context trusting only `root`.
    static SSLContext trusting(X509Certificate root) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /// `https://.../acme/<provisioner>/directory` of `server`.
    static URI directory(CertwrightServer server, String provisioner) {
        return URI.create(server.url() + "/acme/" + provisioner + "/directory");
    }

    /// An acme4j session for `directory`, whose HTTP client trusts only `root`.
    static Session session(URI directory, X509Certificate root) throws GeneralSecurityException, IOException {
        return new Session(directory, new TrustingProvider(trusting(root)));
    }

    /// A fresh P-256 key pair.
    static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /// A fresh RSA 2048 key pair.
    static KeyPair rsa2048() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /// acme4j's generic provider (any `https` directory URL), with an HTTP client that trusts the given
    /// context instead of the JVM's default trust store.
    static final class TrustingProvider extends GenericAcmeProvider {

        private final SSLContext context;

        TrustingProvider(SSLContext context) {
            this.context = context;
        }

        @Override
        public HttpClient createHttpClient(NetworkSettings settings) {
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(settings.getTimeout()).sslContext(context).build();
        }
    }

    /// What an ACME client process (certbot, lego) printed and how it exited.
    record ClientRun(int exit, String output) {
    }

    /// Runs `command` with `environment` added, its output merged and read on another thread, so that a hung
    /// client fails the test after `timeoutSeconds` instead of blocking it.
    static ClientRun runClient(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // The process was killed.
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join();
            fail("%s did not finish within %d s: %s", command, timeoutSeconds, out);
        }
        reader.join();
        return new ClientRun(p.exitValue(), out.toString());
    }
}
