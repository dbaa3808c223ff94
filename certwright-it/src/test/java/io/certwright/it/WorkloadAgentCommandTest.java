package io.certwright.it;

import static io.certwright.it.WorkloadFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.Pem;
import io.certwright.cli.Main;
import io.certwright.core.SpiffeId;
import io.spiffe.workloadapi.DefaultWorkloadApiClient;
import io.spiffe.workloadapi.WorkloadApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/// `certwright agent` as an operator runs it: the executable jar as its own process, the join token from the
/// environment, the Workload API on its socket, SVID files for software that reads files, SIGTERM to stop,
/// and a restart from the data directory without a token.
class WorkloadAgentCommandTest {

    @TempDir
    static Path dir;

    static WorkloadFixture fixture;
    static Path rootPem;

    @BeforeAll
    static void startServer() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        fixture = WorkloadFixture.start(dir);
        rootPem = Files.writeString(dir.resolve("root.pem"), Pem.certificate(fixture.server.root()));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Process agentProcess(String node, Map<String, String> env, Path log, String... extra) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
                CrashSafetyTest.cliJar().toString(), "agent", "--server", fixture.url().toString(),
                "--ca-cert", rootPem.toString(), "--socket", fixture.socket(node).toString(),
                "--data-dir", fixture.agentDir(node).resolve("data").toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CERTWRIGHT_") || k.startsWith("SPIFFE_"));
        pb.environment().put("CERTWRIGHT_HOME", dir.resolve("client-home").toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static SpiffeId fetch(Path socket) throws Exception {
        try (WorkloadApiClient c = DefaultWorkloadApiClient.newClient(DefaultWorkloadApiClient.ClientOptions.builder()
                .spiffeSocketPath("unix:" + socket).build())) {
            return SpiffeId.parse(c.fetchX509Context().getDefaultSvid().getSpiffeId().toString());
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM
        if (!p.waitFor(WorkloadFixture.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the agent did not stop on SIGTERM");
        }
    }

    @Test
    void theAgentCommandAttestsWithTheTokenFromTheEnvironmentServesWritesFilesStopsOnSigtermAndRestartsWithout()
            throws Exception {
        String node = "cli-node";
        SpiffeId workload = id("/it/cli-workload");
        fixture.entry(workload, node, "unix:uid:" + WorkloadFixture.myUid());
        String token = fixture.joinToken(node);
        Path files = dir.resolve("svid-files");
        Path socket = fixture.socket(node);
        Path log = dir.resolve("agent-1.log");

        Process p = agentProcess(node, Map.of("CERTWRIGHT_JOIN_TOKEN", token), log,
                "--write-svid", files.toString(), "--write-svid-for", workload.toString());
        try {
            RevocationClients.eventually("the agent wrote " + files.resolve("svid.pem") + "; log:\n" + read(log),
                    () -> Files.exists(files.resolve("svid.pem")));
            assertThat(fetch(socket)).isEqualTo(workload);
            assertThat(read(log)).contains("Certwright agent serving the Workload API on unix:" + socket);
            assertThat(p.info().arguments().map(List::of).orElse(List.of())).doesNotContain(token);
            List<X509Certificate> written = Pem.readCertificates(Files.readAllBytes(files.resolve("svid.pem")),
                    "svid.pem");
            assertThat(written.getFirst().getSubjectAlternativeNames())
                    .anySatisfy(san -> assertThat(san.get(1)).isEqualTo(workload.toString()));
            assertThat(Pem.readCertificates(Files.readAllBytes(files.resolve("bundle.pem")), "bundle.pem"))
                    .containsExactly(fixture.server.root());
        } finally {
            stop(p);
        }
        assertThat(Files.exists(socket)).as("socket removed on SIGTERM").isFalse();
        assertThat(read(log)).doesNotContain(token);

        // The token is spent; the agent SVID in the data directory is what a restart uses.
        Process again = agentProcess(node, Map.of(), dir.resolve("agent-2.log"));
        try {
            RevocationClients.eventually("the restarted agent serves", () -> {
                try {
                    return fetch(socket).equals(workload);
                } catch (Exception e) {
                    return false;
                }
            });
        } finally {
            stop(again);
        }
    }

    @Test
    void theAgentCommandRefusesIncompleteOrContradictoryOptionsBeforeStarting() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token.txt"), "cwj_from-file\n");
        String socket = dir.resolve("never.sock").toString();
        String url = fixture.url().toString();

        assertThat(run("agent", "--socket", socket)).satisfies(r -> assertThat(r).startsWith("1 ")
                .contains("--server"));
        assertThat(run("agent", "--server", url, "--ca-cert", rootPem.toString())).startsWith("1 ")
                .contains("--socket");
        assertThat(run("agent", "--server", url, "--ca-cert", rootPem.toString(), "--socket", socket,
                "--join-token", "cwj_a", "--join-token-file", tokenFile.toString())).startsWith("1 ")
                .contains("once");
        assertThat(run("agent", "--server", url, "--ca-cert", rootPem.toString(), "--socket", socket,
                "--write-svid", dir.resolve("w").toString())).startsWith("1 ").contains("--write-svid-for");
        assertThat(run("agent", "--server", url, "--socket", socket, "--join-token", "cwj_a")).startsWith("1 ")
                .contains("--ca-cert");
        assertThat(Files.exists(Path.of(socket))).isFalse();
        assertThat(run("agent")).startsWith("2 ");
    }

    /// Runs the command line in this JVM (for commands that stop before starting an agent): exit code and stderr.
    private static String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new Main(Map.of("CERTWRIGHT_HOME", dir.resolve("empty-home").toString()),
                Clock.systemUTC()));
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute(args);
        return code + " " + err;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }
}
