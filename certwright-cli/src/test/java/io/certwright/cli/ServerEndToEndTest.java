package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.Pem;
import io.certwright.core.TrustDomain;
import io.certwright.server.CertwrightServer;
import io.certwright.server.ServerOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The client commands against a real Certwright server started in-process on a free port: bootstrap,
/// issuance with an admin token and with one-time enrollment tokens, listing, revocation, renewal over
/// mTLS, and export and verification of the audit chain.
class ServerEndToEndTest {

    @TempDir
    static Path shared;

    static CertwrightServer server;
    static String url;
    static Path roots;
    static Path adminToken;

    @TempDir
    Path work;

    @BeforeAll
    static void startServer() throws Exception {
        Map<String, String> env = Map.of("CERTWRIGHT_CA_PASSPHRASE", "correct horse battery staple");
        server = CertwrightServer.start(new ServerOptions(shared.resolve("data"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Optional.of(new TrustDomain("example.org")), Optional.empty(), env), Clock.systemUTC());
        url = server.url().toString();
        roots = shared.resolve("roots.pem");
        Files.writeString(roots, Pem.certificate(server.root()));
        adminToken = server.adminTokenFile();
        ServerClient admin = ServerClient.connect(java.net.URI.create(url), List.of(server.root()), "test roots",
                Optional.of(Files.readString(adminToken).strip()), Optional.empty());
        Map<String, Object> provisioner = new LinkedHashMap<>();
        provisioner.put("name", "ci");
        provisioner.put("kind", "token");
        provisioner.put("profiles", List.of("svid", "mtls"));
        provisioner.put("spiffe_id", List.of("spiffe://example.org/**"));
        provisioner.put("dns", List.of("*.example.com"));
        provisioner.put("max_ttl", "24h");
        admin.post("/api/v1/provisioners", provisioner);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private Map<String, String> env() {
        return Map.of(ClientHome.HOME_VARIABLE, work.resolve("home").toString());
    }

    private Cli.Result run(String... args) {
        return Cli.run(env(), args);
    }

    private Cli.Result issueWithAdminToken(String spiffeId, Path out) {
        return run("issue", "--server", url, "--ca-cert", roots.toString(), "--token-file", adminToken.toString(),
                "--profile", "svid", "--spiffe-id", spiffeId, "--ttl", "1h", "--out", out.toString());
    }

    private static X509Certificate cert(Path file) throws Exception {
        return Pem.readCertificates(Files.readAllBytes(file), file.toString()).getFirst();
    }

    private static String serial(Path certFile) throws Exception {
        return cert(certFile).getSerialNumber().toString(16);
    }

    private static void validates(Path dir) throws Exception {
        List<X509Certificate> chain = Pem.readCertificates(Files.readAllBytes(dir.resolve("chain.pem")), "chain");
        List<X509Certificate> bundle = Pem.readCertificates(Files.readAllBytes(dir.resolve("bundle.pem")), "bundle");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(bundle.getFirst(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
    }

    @Test
    void bootstrapWithTheRightFingerprintPinsTheRootsSoLaterCommandsNeedNoServerFlags() throws Exception {
        Cli.Result b = run("bootstrap", "--server", url, "--fingerprint", server.rootFingerprint().replace(":", "").toLowerCase(java.util.Locale.ROOT));
        assertThat(b.exitCode()).as(b.err()).isZero();
        Path home = work.resolve("home");
        assertThat(Pem.readCertificates(Files.readAllBytes(home.resolve("roots.pem")), "pinned")).contains(server.root());
        assertThat(Files.getPosixFilePermissions(home.resolve("roots.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.getPosixFilePermissions(home)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Cli.Result list = run("list", "--token-file", adminToken.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
    }

    @Test
    void bootstrapWithAWrongFingerprintWritesNothing() {
        Cli.Result b = run("bootstrap", "--server", url, "--fingerprint", "AB".repeat(32));
        assertThat(b.exitCode()).isEqualTo(1);
        assertThat(b.err()).contains("fingerprint mismatch");
        assertThat(work.resolve("home")).doesNotExist();
    }

    @Test
    void issueWithTheAdminTokenWritesCertificateKeyChainAndBundle() throws Exception {
        Path out = work.resolve("svc");
        Cli.Result r = issueWithAdminToken("spiffe://example.org/svc", out);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.getPosixFilePermissions(out.resolve("key.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(cert(out.resolve("cert.pem")).getSubjectAlternativeNames().toString()).contains("spiffe://example.org/svc");
        validates(out);
        assertThat(Pem.readCertificates(Files.readAllBytes(out.resolve("bundle.pem")), "b")).contains(server.root());
    }

    @Test
    void anEnrollmentTokenIssuesOnceAndIsRefusedTheSecondTime() throws Exception {
        Cli.Result t = run("token", "create", "--provisioner", "ci", "--spiffe-id", "spiffe://example.org/job",
                "--ttl", "10m", "--server", url, "--ca-cert", roots.toString(), "--token-file", adminToken.toString());
        assertThat(t.exitCode()).as(t.err()).isZero();
        String token = t.out().strip();
        assertThat(token).isNotEmpty().doesNotContain("\n");
        Cli.Result first = run("issue", "--server", url, "--ca-cert", roots.toString(), "--token", token,
                "--profile", "svid", "--spiffe-id", "spiffe://example.org/job", "--out", work.resolve("a").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        validates(work.resolve("a"));
        Cli.Result second = run("issue", "--server", url, "--ca-cert", roots.toString(), "--token", token,
                "--profile", "svid", "--spiffe-id", "spiffe://example.org/job", "--out", work.resolve("b").toString());
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.errLines().getFirst()).startsWith("error: ");
        assertThat(work.resolve("b")).doesNotExist();
    }

    @Test
    void listExpiringShowsNewCertificatesAndRevokedOnesShowAsRevoked() throws Exception {
        Path out = work.resolve("doomed");
        assertThat(issueWithAdminToken("spiffe://example.org/doomed", out).exitCode()).isZero();
        String serial = serial(out.resolve("cert.pem"));
        Cli.Result expiring = run("list", "--expiring", "2h", "--json", "--server", url, "--ca-cert", roots.toString(),
                "--token-file", adminToken.toString());
        assertThat(expiring.exitCode()).as(expiring.err()).isZero();
        assertThat(ServerClient.JSON.readTree(expiring.out()).findValuesAsString("serial")).anyMatch(s -> s.endsWith(serial));

        Cli.Result revoke = run("revoke", serial, "--reason", "keyCompromise", "--server", url, "--ca-cert",
                roots.toString(), "--token-file", adminToken.toString());
        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        Cli.Result revoked = run("list", "--status", "revoked", "--server", url, "--ca-cert", roots.toString(),
                "--token-file", adminToken.toString());
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains(serial, "revoked");
    }

    @Test
    void renewOverMutualTlsReplacesTheFilesInPlace() throws Exception {
        Path dir = work.resolve("renewed");
        assertThat(issueWithAdminToken("spiffe://example.org/renewed", dir).exitCode()).isZero();
        String before = serial(dir.resolve("cert.pem"));
        String keyBefore = Files.readString(dir.resolve("key.pem"));
        Cli.Result r = run("renew", "--cert", dir.resolve("cert.pem").toString(), "--key", dir.resolve("key.pem").toString(),
                "--server", url, "--ca-cert", roots.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(serial(dir.resolve("cert.pem"))).isNotEqualTo(before);
        assertThat(Files.readString(dir.resolve("key.pem"))).isEqualTo(keyBefore);
        validates(dir);

        Cli.Result newKey = run("renew", "--cert", dir.resolve("cert.pem").toString(), "--key",
                dir.resolve("key.pem").toString(), "--new-key", "--server", url, "--ca-cert", roots.toString());
        assertThat(newKey.exitCode()).as(newKey.err()).isZero();
        assertThat(Files.readString(dir.resolve("key.pem"))).isNotEqualTo(keyBefore);
        assertThat(Files.getPosixFilePermissions(dir.resolve("key.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Enrollment.matches(Pem.readPrivateKey(Files.readString(dir.resolve("key.pem")), "k"),
                cert(dir.resolve("cert.pem")))).isTrue();
    }

    @Test
    void anExportedAuditLogVerifiesAndATamperedCopyIsDetected() throws Exception {
        assertThat(issueWithAdminToken("spiffe://example.org/audited", work.resolve("audited")).exitCode()).isZero();
        Path export = work.resolve("audit.jsonl");
        Cli.Result e = run("audit", "export", "--out", export.toString(), "--server", url, "--ca-cert", roots.toString(),
                "--token-file", adminToken.toString());
        assertThat(e.exitCode()).as(e.err()).isZero();
        Cli.Result ok = run("audit", "verify", "--file", export.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("audit chain intact: ");

        Cli.Result live = run("audit", "verify", "--server", url, "--ca-cert", roots.toString(), "--token-file",
                adminToken.toString());
        assertThat(live.exitCode()).as(live.err()).isZero();
        assertThat(live.out()).startsWith("audit chain intact: ");

        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        assertThat(lines.size()).isGreaterThan(1);
        lines.set(1, lines.get(1).replaceFirst("\"actor\":\"[^\"]*\"", "\"actor\":\"someone-else\""));
        Path tampered = work.resolve("tampered.jsonl");
        Files.write(tampered, lines);
        Cli.Result bad = run("audit", "verify", "--file", tampered.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("entry 2 was altered");
    }

    @Test
    void scanWithServerSendsFindingsToTheInventoryAndTheReportCoversThem() throws Exception {
        Path dir = work.resolve("scanned");
        assertThat(issueWithAdminToken("spiffe://example.org/scanned", dir).exitCode()).isZero();
        String fp = io.certwright.inventory.EncodedCertificate.of(cert(dir.resolve("cert.pem"))).fingerprint().hex();

        Cli.Result scan = run("scan", "--files", dir.resolve("cert.pem").toString(), "--json", "--server", url,
                "--ca-cert", roots.toString(), "--token-file", adminToken.toString());
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        assertThat(scan.out()).contains(fp);
        assertThat(scan.err()).containsPattern("sent to https://\\S+: [01] new, [01] known, 0 refused");

        Cli.Result csv = run("report", "--format", "csv", "--server", url, "--ca-cert", roots.toString(),
                "--token-file", adminToken.toString());
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.out()).startsWith("section,type,fingerprint").contains("finding,expiring," + fp);

        Path html = work.resolve("report.html");
        Cli.Result toFile = run("report", "--format", "html", "--out", html.toString(), "--server", url, "--ca-cert",
                roots.toString(), "--token-file", adminToken.toString());
        assertThat(toFile.exitCode()).as(toFile.err()).isZero();
        assertThat(Files.readString(html)).contains("<h1>Certwright compliance report</h1>").contains(fp);
    }

    @Test
    void scanWithServerButNoTokenFailsBeforeScanning() throws Exception {
        Path dir = work.resolve("unsent");
        assertThat(issueWithAdminToken("spiffe://example.org/unsent", dir).exitCode()).isZero();
        Cli.Result scan = run("scan", "--files", dir.resolve("cert.pem").toString(), "--server", url, "--ca-cert",
                roots.toString());
        assertThat(scan.exitCode()).isEqualTo(1);
        assertThat(scan.err()).contains("no API token");
        assertThat(scan.out()).isEmpty();
    }

    @Test
    void reportWithoutServerCoversWhatTheScanFinds() throws Exception {
        Path dir = work.resolve("local");
        assertThat(issueWithAdminToken("spiffe://example.org/local", dir).exitCode()).isZero();
        String fp = io.certwright.inventory.EncodedCertificate.of(cert(dir.resolve("cert.pem"))).fingerprint().hex();
        Cli.Result r = run("report", "--files", dir.resolve("cert.pem").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"certificates\":1").contains("\"type\":\"expiring\"").contains(fp);
        Cli.Result nothing = run("report");
        assertThat(nothing.exitCode()).isEqualTo(2);
        Cli.Result both = run("report", "--files", dir.toString(), "--server", url, "--ca-cert", roots.toString(),
                "--token-file", adminToken.toString());
        assertThat(both.exitCode()).isEqualTo(2);
    }

    @Test
    void entriesAreCreatedListedByParentAndDeletedFromTheCommandLine() {
        String[] conn = {"--server", url, "--ca-cert", roots.toString(), "--token-file", adminToken.toString()};
        Cli.Result created = run(concat(new String[] {"entry", "create", "--spiffe-id",
            "spiffe://example.org/ns/cli/sa/api", "--parent", "spiffe://example.org/certwright/agent/cli-node",
            "--selector", "unix:uid:1000", "--selector", "unix:path:/usr/bin/api", "--x509-svid-ttl", "30m",
            "--dns", "api.cli.example"}, conn));
        assertThat(created.exitCode()).as(created.err()).isZero();
        String id = created.out().strip();
        assertThat(id).startsWith("ent_");
        Cli.Result byNode = run(concat(new String[] {"entry", "create", "--spiffe-id",
            "spiffe://example.org/ns/cli/sa/web", "--node", "web-*", "--selector", "unix:user:www"}, conn));
        assertThat(byNode.exitCode()).as(byNode.err()).isZero();

        Cli.Result listed = run(concat(new String[] {"entry", "list", "--parent",
            "spiffe://example.org/certwright/agent/cli-node"}, conn));
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(id).contains("unix:uid:1000,unix:path:/usr/bin/api")
                .doesNotContain("ns/cli/sa/web");
        assertThat(run(concat(new String[] {"entry", "list"}, conn)).out()).contains("certwright:node:web-*");

        Cli.Result deleted = run(concat(new String[] {"entry", "delete", id}, conn));
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(run(concat(new String[] {"entry", "list"}, conn)).out()).doesNotContain(id);
        Cli.Result again = run(concat(new String[] {"entry", "delete", id}, conn));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("not found");
    }

    @Test
    void anEntryWithABadSelectorIsRefusedWithTheServersReason() {
        Cli.Result r = run("entry", "create", "--server", url, "--ca-cert", roots.toString(), "--token-file",
                adminToken.toString(), "--spiffe-id", "spiffe://example.org/ns/x/sa/y", "--node", "n1",
                "--selector", "unix:uid:minus-one");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("unix:uid");
    }

    @Test
    void agentTokenCreatePrintsTheTokenOnceAndAgentBanAnswersForUnknownAgents() {
        Cli.Result token = run("agent", "token", "create", "--node", "cli-node", "--ttl", "10m", "--server", url,
                "--ca-cert", roots.toString(), "--token-file", adminToken.toString());
        assertThat(token.exitCode()).as(token.err()).isZero();
        assertThat(token.out().strip()).startsWith("cwj_").doesNotContain("\n");
        assertThat(token.err()).contains("spiffe://example.org/certwright/agent/cli-node");

        Cli.Result ban = run("agent", "ban", "never-attested", "--server", url, "--ca-cert", roots.toString(),
                "--token-file", adminToken.toString());
        assertThat(ban.exitCode()).isEqualTo(1);
        assertThat(ban.err()).contains("not found");
        assertThat(run("agent").exitCode()).isEqualTo(2);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
