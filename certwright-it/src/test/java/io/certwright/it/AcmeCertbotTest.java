package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.Pem;
import io.certwright.core.SerialNumber;
import io.certwright.it.ItAcme.ClientRun;
import io.certwright.server.CertwrightServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// certbot, the Debian package, against a running server: standalone http-01 on a loopback port, the
/// server's root handed over in `REQUESTS_CA_BUNDLE`, the test names resolved by the DNS server the
/// server's validator asks. Issue, forced renewal and both ways of revoking, checked in the files certbot
/// writes and in the server's registry.
class AcmeCertbotTest {

    /// Safety net for a hung certbot; not a performance threshold.
    private static final long CERTBOT_TIMEOUT_SECONDS = 180;

    @TempDir
    static Path dir;

    static ChallengeResponders responders;
    static CertwrightServer server;
    static ServerApi api;
    static Path rootsPem;
    static int http01Port;

    @BeforeAll
    static void start() throws Exception {
        ClientRun version;
        try {
            version = run(List.of("certbot", "--version"));
        } catch (IOException e) {
            throw new AssertionError("certbot is not installed: these tests need the Debian package certbot "
                    + "(.ci/run installs it)", e);
        }
        assertThat(version.exit()).as("certbot --version: %s", version.output()).isZero();
        responders = ChallengeResponders.start();
        responders.dns.a("app.certbot.test", "127.0.0.1").a("key.certbot.test", "127.0.0.1");
        http01Port = RevocationClients.freePort();
        server = ItAcme.start(dir.resolve("data"), responders.acmeYaml(http01Port, """
                    - name: default
                      challenges: [http-01]
                """, ""));
        api = ItAcme.api(server);
        rootsPem = ItAcme.writeRoots(api, dir.resolve("roots.pem"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (responders != null) {
            responders.close();
        }
    }

    private static ClientRun run(List<String> command) throws IOException, InterruptedException {
        Map<String, String> env = rootsPem == null ? Map.of() : Map.of("REQUESTS_CA_BUNDLE", rootsPem.toString());
        return ItAcme.runClient(command, env,
                CERTBOT_TIMEOUT_SECONDS);
    }

    /// certbot with its state under `home` and the server's default directory; `args` first.
    private static ClientRun certbot(Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("certbot"));
        command.addAll(List.of(args));
        command.addAll(List.of("--non-interactive", "--server", ItAcme.directory(server, "default").toString(),
                "--config-dir", home.resolve("config").toString(), "--work-dir", home.resolve("work").toString(),
                "--logs-dir", home.resolve("logs").toString()));
        return run(command);
    }

    private static ClientRun certonly(Path home, String domain, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("certonly", "--standalone", "--http-01-port",
                Integer.toString(http01Port), "--http-01-address", "127.0.0.1", "--agree-tos",
                "--register-unsafely-without-email", "-d", domain));
        args.addAll(List.of(extra));
        return certbot(home, args.toArray(String[]::new));
    }

    private static List<X509Certificate> read(Path pem) throws Exception {
        assertThat(pem).isRegularFile();
        return Pem.readCertificates(Files.readAllBytes(pem), pem.getFileName().toString());
    }

    /// The lineage's `fullchain.pem` verifies to the server's root and its leaf names `domain`; returns
    /// the leaf.
    private static X509Certificate assertLineageChainsToRoot(Path live, String domain) throws Exception {
        assertThat(live.resolve("privkey.pem")).isRegularFile();
        List<X509Certificate> full = new ArrayList<>(read(live.resolve("fullchain.pem")));
        assertThat(full).hasSizeGreaterThanOrEqualTo(2);
        X509Certificate leaf = read(live.resolve("cert.pem")).getFirst();
        assertThat(full.getFirst()).isEqualTo(leaf);
        assertThat(read(live.resolve("chain.pem"))).isEqualTo(full.subList(1, full.size()));
        if (full.getLast().getSubjectX500Principal().equals(full.getLast().getIssuerX500Principal())) {
            full.removeLast();
        }
        OpensslInteropTest.pkixValidate(ItAcme.roots(api).getFirst(), full);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, domain));
        return leaf;
    }

    private static String serial(X509Certificate c) {
        return new SerialNumber(c.getSerialNumber()).hex();
    }

    private static String registryStatus(X509Certificate c) throws Exception {
        return api.certificate(serial(c)).get("status").asString();
    }

    @Test
    void certbotIssuesRenewsAndRevokesThroughStandaloneHttp01() throws Exception {
        Path home = dir.resolve("certbot-app");
        Path live = home.resolve("config/live/app.certbot.test");

        ClientRun issued = certonly(home, "app.certbot.test");
        assertThat(issued.exit()).as(issued.output()).isZero();
        X509Certificate first = assertLineageChainsToRoot(live, "app.certbot.test");
        assertThat(registryStatus(first)).isEqualTo("valid");

        // Without a terminal, certbot renew first sleeps a random time of up to eight minutes unless told not to.
        ClientRun renewed = certbot(home, "renew", "--force-renewal", "--no-random-sleep-on-renew",
                "--http-01-port", Integer.toString(http01Port), "--http-01-address", "127.0.0.1");
        assertThat(renewed.exit()).as(renewed.output()).isZero();
        X509Certificate second = assertLineageChainsToRoot(live, "app.certbot.test");
        assertThat(serial(second)).isNotEqualTo(serial(first));
        assertThat(home.resolve("config/archive/app.certbot.test/cert2.pem")).isRegularFile();
        assertThat(registryStatus(second)).isEqualTo("valid");

        ClientRun revoked = certbot(home, "revoke", "--cert-path", live.resolve("cert.pem").toString(),
                "--reason", "superseded", "--no-delete-after-revoke");
        assertThat(revoked.exit()).as(revoked.output()).isZero();
        assertThat(registryStatus(second)).isEqualTo("revoked");
        assertThat(registryStatus(first)).isEqualTo("valid");
    }

    @Test
    void certbotRevokesWithTheCertificatesOwnKeyWithoutTheAccount() throws Exception {
        Path home = dir.resolve("certbot-key");
        Path live = home.resolve("config/live/key.certbot.test");
        ClientRun issued = certonly(home, "key.certbot.test");
        assertThat(issued.exit()).as(issued.output()).isZero();
        X509Certificate leaf = assertLineageChainsToRoot(live, "key.certbot.test");

        // A fresh certbot home has no account: the request is signed with the certificate's key.
        ClientRun revoked = certbot(dir.resolve("certbot-no-account"), "revoke", "--cert-path",
                live.resolve("cert.pem").toString(), "--key-path", live.resolve("privkey.pem").toString(),
                "--reason", "keycompromise", "--no-delete-after-revoke");
        assertThat(revoked.exit()).as(revoked.output()).isZero();
        assertThat(registryStatus(leaf)).isEqualTo("revoked");
    }
}
