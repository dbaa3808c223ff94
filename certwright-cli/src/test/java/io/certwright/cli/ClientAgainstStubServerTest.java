package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.Pem;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The client commands against a scripted HTTPS server: what they send, how they show the server's
/// errors, and that they trust nothing but the given or pinned roots.
class ClientAgainstStubServerTest {

    private static final String PROBLEM = "application/problem+json";

    @TempDir
    static Path shared;

    static Path roots;
    static Path otherRoots;
    static StubServer stub;

    @TempDir
    Path work;

    @BeforeAll
    static void startAStubServerWithACertificateFromAnOfflineCa() throws Exception {
        Path passphrase = shared.resolve("passphrase.txt");
        Files.writeString(passphrase, "correct horse battery staple\n");
        for (String name : List.of("ca", "other")) {
            Cli.Result init = Cli.run("ca", "init", "--dir", shared.resolve(name).toString(), "--name", name,
                    "--passphrase-file", passphrase.toString());
            assertThat(init.exitCode()).as(init.err()).isZero();
        }
        Cli.Result tls = Cli.run("issue", "--dir", shared.resolve("ca").toString(), "--profile", "server",
                "--ip", "127.0.0.1", "--dns", "localhost", "--out", shared.resolve("tls").toString(),
                "--passphrase-file", passphrase.toString());
        assertThat(tls.exitCode()).as(tls.err()).isZero();
        roots = shared.resolve("tls/bundle.pem");
        Cli.Result other = Cli.run("issue", "--dir", shared.resolve("other").toString(), "--profile", "server",
                "--dns", "localhost", "--out", shared.resolve("other-tls").toString(),
                "--passphrase-file", passphrase.toString());
        assertThat(other.exitCode()).as(other.err()).isZero();
        otherRoots = shared.resolve("other-tls/bundle.pem");
        stub = new StubServer(shared.resolve("tls"));
        stub.answer("/roots.pem", 200, "application/x-pem-file", Files.readString(roots));
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    private Map<String, String> env() {
        return Map.of(ClientHome.HOME_VARIABLE, work.resolve("home").toString());
    }

    @Test
    void aPolicyRefusalPrintsTitleDetailAndEachRuleExitsOneAndWritesNothing() {
        stub.answer("/api/v1/certificates", 403, PROBLEM, """
                {"type":"https://certwright.io/problems/policy-refused","title":"Refused by policy",
                 "detail":"the request breaks 1 rule","refusals":[{"rule":"spiffe-id","detail":"not allowed here"}]}""");
        Path out = work.resolve("out");
        Cli.Result r = Cli.run(env(), "issue", "--server", stub.url(), "--ca-cert", roots.toString(), "--token", "T0K",
                "--profile", "svid", "--spiffe-id", "spiffe://example.org/api", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("error: Refused by policy: the request breaks 1 rule",
                "  spiffe-id: not allowed here");
        assertThat(out).doesNotExist();
        StubServer.Request sent = stub.requests.stream().filter(q -> q.target().equals("/api/v1/certificates"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.authorization()).isEqualTo("Bearer T0K");
        assertThat(sent.body()).contains("\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----", "\"profile\":\"svid\"")
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void aServerWhoseCertificateIsNotFromTheGivenRootsIsRefused() {
        Cli.Result r = Cli.run(env(), "list", "--server", stub.url(), "--ca-cert", otherRoots.toString(), "--token", "t");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: TLS handshake with 127.0.0.1:")
                .contains("not issued by the roots in " + otherRoots);
    }

    @Test
    void withoutCaCertOrPinnedRootsNothingIsTrusted() {
        Cli.Result r = Cli.run(env(), "list", "--server", stub.url(), "--token", "t");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no trusted roots for " + stub.url(), "--ca-cert", "certwright bootstrap");
    }

    @Test
    void anUnreachableServerIsOneClearErrorLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = Cli.run(env(), "list", "--server", "https://127.0.0.1:" + port, "--ca-cert", roots.toString(),
                "--token", "t");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("error: cannot connect to https://127.0.0.1:" + port + ": connection refused");
    }

    @Test
    void plainHttpIsRefusedBeforeAnyTokenIsSent() {
        Cli.Result r = Cli.run(env(), "list", "--server", "http://127.0.0.1:8443", "--ca-cert", roots.toString(),
                "--token", "t");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("must be an https URL");
    }

    @Test
    void aMissingTokenSaysHowToPassOne() {
        Cli.Result r = Cli.run(env(), "list", "--server", stub.url(), "--ca-cert", roots.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no API token", "--token-file", "CERTWRIGHT_TOKEN");
    }

    @Test
    void theTokenComesFromTheTokenFileOrTheEnvironment() throws Exception {
        stub.answer("/api/v1/certificates?limit=500", 200, "application/json", "{\"items\":[]}");
        Path tokenFile = work.resolve("token");
        Files.writeString(tokenFile, "from-file\n");
        assertThat(Cli.run(env(), "list", "--server", stub.url(), "--ca-cert", roots.toString(), "--token-file",
                tokenFile.toString()).exitCode()).isZero();
        assertThat(stub.requests.getLast().authorization()).isEqualTo("Bearer from-file");
        Map<String, String> withToken = Map.of(ClientHome.HOME_VARIABLE, work.toString(), ClientHome.TOKEN_VARIABLE, "from-env");
        assertThat(Cli.run(withToken, "list", "--server", stub.url(), "--ca-cert", roots.toString()).exitCode()).isZero();
        assertThat(stub.requests.getLast().authorization()).isEqualTo("Bearer from-env");
    }

    @Test
    void listFollowsCursorsAndPassesTheFilters() {
        stub.answer("/api/v1/certificates?expiring_within=7d&spiffe_id_prefix=spiffe%3A%2F%2Fexample.org%2F&limit=500",
                200, "application/json", """
                {"items":[{"serial":"0a","status":"active","profile":"svid","not_after":"2030-01-02T00:00:00Z",
                           "spiffe_id":"spiffe://example.org/a","names":["spiffe://example.org/a"]}],
                 "next_cursor":"c2"}""");
        stub.answer("/api/v1/certificates?expiring_within=7d&spiffe_id_prefix=spiffe%3A%2F%2Fexample.org%2F&cursor=c2&limit=500",
                200, "application/json", """
                {"items":[{"serial":"0b","status":"revoked","profile":"server","not_after":"2030-01-03T00:00:00Z",
                           "names":["DNS:api.example.com"]}],"next_cursor":null}""");
        Cli.Result table = Cli.run(env(), "list", "--expiring", "7d", "--spiffe-id-prefix", "spiffe://example.org/",
                "--server", stub.url(), "--ca-cert", roots.toString(), "--token", "t");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("SERIAL", "0a", "active", "spiffe://example.org/a", "0b", "revoked",
                "DNS:api.example.com", "2 certificates");
        Cli.Result json = Cli.run(env(), "list", "--json", "--expiring", "7d", "--spiffe-id-prefix",
                "spiffe://example.org/", "--server", stub.url(), "--ca-cert", roots.toString(), "--token", "t");
        assertThat(json.exitCode()).isZero();
        assertThat(ServerClient.JSON.readTree(json.out()).findValuesAsString("serial")).containsExactly("0a", "0b");
    }

    @Test
    void tokenCreatePrintsOnlyTheTokenOnStdout() {
        stub.answer("/api/v1/provisioners/ci/tokens", 201, "application/json",
                "{\"id\":\"tok-1\",\"token\":\"secret-enrollment-token\",\"expires_at\":\"2030-01-01T00:10:00Z\"}");
        Cli.Result r = Cli.run(env(), "token", "create", "--provisioner", "ci", "--spiffe-id", "spiffe://example.org/job",
                "--dns", "job.example.com", "--ttl", "10m", "--server", stub.url(), "--ca-cert", roots.toString(),
                "--token", "admin");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("secret-enrollment-token" + System.lineSeparator());
        assertThat(r.err()).contains("tok-1", "spiffe://example.org/job", "DNS:job.example.com", "2030-01-01T00:10:00Z");
        assertThat(stub.requests.getLast().body()).isEqualTo(
                "{\"spiffe_id\":\"spiffe://example.org/job\",\"dns\":[\"job.example.com\"],\"ttl\":\"10m\"}");
    }

    @Test
    void revokeSendsTheReasonAndNormalisedSerial() {
        stub.answer("/api/v1/certificates/0a1bff/revoke", 200, "application/json", "{\"serial\":\"0a1bff\",\"status\":\"revoked\"}");
        Cli.Result r = Cli.run(env(), "revoke", "0A:1B:FF", "--reason", "keycompromise", "--server", stub.url(),
                "--ca-cert", roots.toString(), "--token", "admin");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Revoked certificate 0a1bff (keyCompromise)");
        assertThat(stub.requests.getLast().body()).isEqualTo("{\"reason\":\"keyCompromise\"}");
    }

    @Test
    void revokeBySpiffeIdPatternPostsTheSelectorAndListsTheRevokedSerials() {
        stub.answer("/api/v1/certificates/revoke", 200, "application/json", """
                {"selector":"spiffe_id=spiffe://td/ns/prod/*","reason":"keyCompromise","count":2,
                "revoked":["0a","0b"]}""");
        Cli.Result r = Cli.run(env(), "revoke", "--spiffe-id", "spiffe://td/ns/prod/*", "--reason", "keyCompromise",
                "--server", stub.url(), "--ca-cert", roots.toString(), "--token", "admin");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Revoked 2 certificates (keyCompromise, spiffe_id=spiffe://td/ns/prod/*)")
                .contains("  0a").contains("  0b");
        assertThat(stub.requests.getLast().body())
                .isEqualTo("{\"spiffe_id\":\"spiffe://td/ns/prod/*\",\"reason\":\"keyCompromise\"}");
    }

    @Test
    void revokeRefusesASerialTogetherWithASelectorWithoutCallingTheServer() {
        int before = stub.requests.size();
        Cli.Result r = Cli.run(env(), "revoke", "0a", "--dns", "*.example.com", "--server", stub.url(),
                "--ca-cert", roots.toString(), "--token", "admin");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("exactly one of SERIAL, --spiffe-id, --dns or --issuer-key-id");
        assertThat(stub.requests).hasSize(before);
    }

    @Test
    void revokingAnAlreadyRevokedCertificateSucceedsAndShowsTheFirstRevocation() {
        stub.answer("/api/v1/certificates/0a1bff/revoke", 200, "application/json", """
                {"serial":"0a1bff","status":"revoked","revocation_reason":"superseded",
                "revoked_at":"2030-01-01T00:00:00Z","already_revoked":true}""");
        Cli.Result r = Cli.run(env(), "revoke", "0a1bff", "--reason", "keyCompromise", "--server", stub.url(),
                "--ca-cert", roots.toString(), "--token", "admin");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Certificate 0a1bff was already revoked (superseded, at 2030-01-01T00:00:00Z)");
    }

    @Test
    void bootstrapWithTheRightFingerprintPinsTheRootsAndLaterCommandsNeedNoServerFlags() throws Exception {
        X509Certificate root = Pem.readCertificates(Files.readAllBytes(roots), "roots").getFirst();
        String fingerprint = Text.sha256(root).replace(":", "").toLowerCase(java.util.Locale.ROOT);
        Cli.Result r = Cli.run(env(), "bootstrap", "--server", stub.url(), "--fingerprint", fingerprint);
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path home = work.resolve("home");
        assertThat(Pem.readCertificates(Files.readAllBytes(home.resolve("roots.pem")), "pinned")).containsExactly(root);
        assertThat(Files.readString(home.resolve("config.properties"))).contains("server=https\\://127.0.0.1\\:");
        assertThat(Files.getPosixFilePermissions(home)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(home.resolve("roots.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));

        stub.answer("/api/v1/certificates?limit=500", 200, "application/json", "{\"items\":[]}");
        Cli.Result list = Cli.run(env(), "list", "--token", "t");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("0 certificates");
    }

    @Test
    void bootstrapWithAWrongFingerprintFailsAndWritesNothing() throws Exception {
        X509Certificate other = Pem.readCertificates(Files.readAllBytes(otherRoots), "other").getFirst();
        Cli.Result r = Cli.run(env(), "bootstrap", "--server", stub.url(), "--fingerprint", Text.sha256(other));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: fingerprint mismatch")
                .contains(Text.sha256(other), "nothing was stored");
        assertThat(work.resolve("home")).doesNotExist();
    }

    @Test
    void auditVerifyAgainstTheServerReadsPageByPage() {
        List<String> lines = new java.util.ArrayList<>();
        java.util.Optional<io.certwright.ca.audit.AuditEntry> prev = java.util.Optional.empty();
        for (int i = 1; i <= 3; i++) {
            var e = io.certwright.ca.audit.AuditChain.next(prev, java.time.Instant.parse("2030-01-01T00:00:00Z").plusSeconds(i),
                    io.certwright.ca.audit.AuditEvent.success("system", "ca.init", "", Map.of()));
            lines.add(AuditVerifyFileTest.line(e));
            prev = java.util.Optional.of(e);
        }
        stub.answer("/api/v1/audit?from=1&limit=1000", 200, "application/json",
                "{\"entries\":[" + lines.get(0) + "," + lines.get(1) + "]}");
        stub.answer("/api/v1/audit?from=3&limit=1000", 200, "application/json", "{\"entries\":[" + lines.get(2) + "]}");
        stub.answer("/api/v1/audit?from=4&limit=1000", 200, "application/json", "{\"entries\":[]}");
        Cli.Result r = Cli.run(env(), "audit", "verify", "--server", stub.url(), "--ca-cert", roots.toString(),
                "--token", "auditor");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("audit chain intact: 3 entries" + System.lineSeparator());
    }
}
