package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.Pem;
import io.certwright.core.SerialNumber;
import io.certwright.it.ItAcme.ClientRun;
import io.certwright.server.CertwrightServer;
import java.io.IOException;
import java.net.http.HttpResponse;
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
import tools.jackson.databind.JsonNode;

/// lego, the Debian package, against a running server: its own http-01 server on a loopback port, the
/// server's root handed over in `LEGO_CA_CERTIFICATES`. Issue, renew and revoke on the default
/// directory, and registration with an external account binding on a directory that requires one.
class AcmeLegoTest {

    /// Safety net for a hung lego; not a performance threshold.
    private static final long LEGO_TIMEOUT_SECONDS = 180;

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
            version = run(List.of("lego", "--version"));
        } catch (IOException e) {
            throw new AssertionError("lego is not installed: these tests need the Debian package lego "
                    + "(.ci/run installs it)", e);
        }
        assertThat(version.exit()).as("lego --version: %s", version.output()).isZero();
        responders = ChallengeResponders.start();
        responders.dns.a("app.lego.test", "127.0.0.1").a("bound.lego.test", "127.0.0.1");
        http01Port = RevocationClients.freePort();
        server = ItAcme.start(dir.resolve("data"), responders.acmeYaml(http01Port, """
                    - name: default
                      challenges: [http-01]
                    - name: bound
                      challenges: [http-01]
                      eabRequired: true
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
        Map<String, String> env = rootsPem == null ? Map.of() : Map.of("LEGO_CA_CERTIFICATES", rootsPem.toString());
        return ItAcme.runClient(command, env,
                LEGO_TIMEOUT_SECONDS);
    }

    /// lego with its state in `home`, the directory of `provisioner` and its own http-01 server; global
    /// options, then `command`.
    private static ClientRun lego(Path home, String provisioner, String domain, List<String> global, String... command)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("lego", "--server",
                ItAcme.directory(server, provisioner).toString(), "--accept-tos", "--email", "ops@example.com",
                "--domains", domain, "--http", "--http.port", "127.0.0.1:" + http01Port, "--path", home.toString()));
        args.addAll(global);
        args.addAll(List.of(command));
        return run(args);
    }

    /// The certificate bundle lego wrote for `domain` verifies to the server's root; returns the leaf.
    private static X509Certificate assertBundleChainsToRoot(Path home, String domain) throws Exception {
        Path crt = home.resolve("certificates").resolve(domain + ".crt");
        assertThat(home.resolve("certificates").resolve(domain + ".key")).isRegularFile();
        List<X509Certificate> chain = new ArrayList<>(Pem.readCertificates(Files.readAllBytes(crt), domain));
        assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
        if (chain.getLast().getSubjectX500Principal().equals(chain.getLast().getIssuerX500Principal())) {
            chain.removeLast();
        }
        OpensslInteropTest.pkixValidate(ItAcme.roots(api).getFirst(), chain);
        assertThat(chain.getFirst().getSubjectAlternativeNames()).containsExactly(List.of(2, domain));
        return chain.getFirst();
    }

    private static String status(X509Certificate c) throws Exception {
        return api.certificate(new SerialNumber(c.getSerialNumber()).hex()).get("status").asString();
    }

    @Test
    void legoIssuesRenewsAndRevokesThroughItsOwnHttp01Server() throws Exception {
        Path home = dir.resolve("lego-app");
        ClientRun issued = lego(home, "default", "app.lego.test", List.of(), "run");
        assertThat(issued.exit()).as(issued.output()).isZero();
        X509Certificate first = assertBundleChainsToRoot(home, "app.lego.test");
        assertThat(status(first)).isEqualTo("valid");

        // The certificates live 24 hours: "renew when fewer than 2 days are left" renews at once.
        ClientRun renewed = lego(home, "default", "app.lego.test", List.of(), "renew", "--days", "2",
                "--no-random-sleep");
        assertThat(renewed.exit()).as(renewed.output()).isZero();
        X509Certificate second = assertBundleChainsToRoot(home, "app.lego.test");
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());

        ClientRun revoked = lego(home, "default", "app.lego.test", List.of(), "revoke", "--reason", "4", "--keep");
        assertThat(revoked.exit()).as(revoked.output()).isZero();
        assertThat(status(second)).isEqualTo("revoked");
    }

    @Test
    void legoRegistersWithAnExternalAccountBindingWhereOneIsRequired() throws Exception {
        Path refusedHome = dir.resolve("lego-no-eab");
        ClientRun refused = lego(refusedHome, "bound", "bound.lego.test", List.of(), "run");
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        // lego reads meta.externalAccountRequired from the directory and stops before registering.
        assertThat(refused.output()).contains("Server requires External Account Binding");

        HttpResponse<String> created = api.post("/api/v1/acme/eab", Map.of("provisioner", "bound"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode eab = ServerApi.JSON.readTree(created.body());
        Path home = dir.resolve("lego-eab");
        ClientRun issued = lego(home, "bound", "bound.lego.test", List.of("--eab", "--kid",
                eab.get("key_id").asString(), "--hmac", eab.get("hmac_key").asString()), "run");
        assertThat(issued.exit()).as(issued.output()).isZero();
        assertBundleChainsToRoot(home, "bound.lego.test");
    }
}
