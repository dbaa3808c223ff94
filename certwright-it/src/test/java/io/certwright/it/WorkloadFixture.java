package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.agent.AgentConfig;
import io.certwright.agent.CertwrightAgent;
import io.certwright.agent.node.HttpNodeClient;
import io.certwright.core.SpiffeId;
import io.certwright.server.CertwrightServer;
import io.certwright.server.ServerConfig;
import io.certwright.server.ServerOptions;
import io.spiffe.workloadapi.DefaultWorkloadApiClient;
import io.spiffe.workloadapi.WorkloadApiClient;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/// A running server with workload identity, and what the workload tests do with it: join tokens and
/// entries through the admin API, node agents in this JVM talking to the server over HTTPS, Workload API
/// clients, and workload processes started as another uid.
final class WorkloadFixture {

    static final String TRUST_DOMAIN = "certwright.local";
    /// Safety net against a hung child or server; not a performance threshold.
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    final Path dir;
    final CertwrightServer server;
    final ServerApi api;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private WorkloadFixture(Path dir, CertwrightServer server, ServerApi api) {
        this.dir = dir;
        this.server = server;
        this.api = api;
    }

    /// Starts a server with its data in `dir/server`.
    static WorkloadFixture start(Path dir) throws Exception {
        CertwrightServer server = CertwrightServer.start(ServerOptions.defaults().withDataDir(dir.resolve("server"))
                .withListen(ServerConfig.parseListen("127.0.0.1:0"))
                .withEnvironment(Map.of("CERTWRIGHT_CA_PASSPHRASE", "workload identity test")), Clock.systemUTC());
        String token = Files.readString(server.adminTokenFile(), StandardCharsets.US_ASCII).strip();
        return new WorkloadFixture(dir, server, new ServerApi(server.url(), server.root(), token));
    }

    URI url() {
        return server.url();
    }

    List<X509Certificate> roots() {
        return List.of(server.root());
    }

    static SpiffeId id(String path) {
        return SpiffeId.parse("spiffe://" + TRUST_DOMAIN + path);
    }

    static SpiffeId agentId(String node) {
        return id("/certwright/agent/" + node);
    }

    /// A one-time join token for `node`, from `POST /api/v1/agents/tokens`.
    String joinToken(String node) throws Exception {
        HttpResponse<String> r = api.post("/api/v1/agents/tokens", Map.of("node", node, "ttl", "10m"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ServerApi.JSON.readTree(r.body()).get("token").asString();
    }

    /// Creates a registration entry delegated to the agent of `node`; returns its ID.
    String entry(SpiffeId spiffeId, String node, String... selectors) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("spiffe_id", spiffeId.toString());
        body.put("parent_id", agentId(node).toString());
        body.put("selectors", List.of(selectors));
        HttpResponse<String> r = api.post("/api/v1/entries", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ServerApi.JSON.readTree(r.body()).get("id").asString();
    }

    /// Bans the agent of `node` through `POST /api/v1/agents/{name}/ban`.
    JsonNode ban(String node) throws Exception {
        HttpResponse<String> r = api.post("/api/v1/agents/" + node + "/ban", Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ServerApi.JSON.readTree(r.body());
    }

    /// Where the agent of `node` keeps its socket and data.
    Path agentDir(String node) throws IOException {
        Path d = dir.resolve(node);
        Files.createDirectories(d);
        // Workload processes of other users must reach the socket inside.
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        return d;
    }

    Path socket(String node) throws IOException {
        return agentDir(node).resolve("agent.sock");
    }

    /// Starts the agent of `node` in this JVM with `joinToken`, over HTTPS to the server; the test drives its
    /// passes with [CertwrightAgent#syncNow], which re-reads the entries every time.
    CertwrightAgent agent(String node, String joinToken) throws IOException {
        return agent(node, joinToken, node);
    }

    /// Like [#agent(String, String)], with its socket and data under `dir/<place>`.
    CertwrightAgent agent(String node, String joinToken, String place) throws IOException {
        AgentConfig config = AgentConfig.builder(url(), socket(place), agentDir(place).resolve("data"))
                .joinToken(joinToken)
                .syncInterval(Duration.ZERO)
                .refreshInterval(Duration.ofMillis(1))
                .build();
        CertwrightAgent agent = new CertwrightAgent(config, HttpNodeClient.factory(roots()));
        opened.add(agent);
        agent.start();
        return agent;
    }

    /// A java-spiffe Workload API client of the agent of `node`, as this (root) process.
    WorkloadApiClient client(String node) throws Exception {
        WorkloadApiClient c = DefaultWorkloadApiClient.newClient(DefaultWorkloadApiClient.ClientOptions.builder()
                .spiffeSocketPath("unix:" + socket(node)).build());
        opened.add(c);
        return c;
    }

    /// The uid of this test process, as an agent attests it.
    static int myUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /// A copy of the test class path under `dir/lib` that any user can read (the build's own repository
    /// usually sits in a private home directory). The embedded PostgreSQL binaries are left out: no workload
    /// needs them.
    String childClasspath() throws IOException {
        Path lib = dir.resolve("lib");
        if (Files.isDirectory(lib)) {
            return Files.readString(dir.resolve("lib.classpath"));
        }
        Files.createDirectories(lib);
        List<String> cp = new ArrayList<>();
        String testCp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int i = 0;
        for (String entry : testCp.split(File.pathSeparator, -1)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && entry.endsWith(".jar") && !p.getFileName().toString().contains("postgres")) {
                Path copy = lib.resolve(i++ + "-" + p.getFileName());
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                cp.add(copy.toString());
            } else if (Files.isDirectory(p)) {
                Path copy = lib.resolve("dir" + i++);
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path target = copy.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                cp.add(copy.toString());
            }
        }
        try (Stream<Path> all = Files.walk(lib)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(
                        Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        String joined = String.join(File.pathSeparator, cp);
        Files.writeString(dir.resolve("lib.classpath"), joined);
        return joined;
    }

    /// Runs [WorkloadPeerMain] as `uid` against the agent of `node` with `commands`; returns its output lines.
    List<String> runAs(int uid, String node, String... commands) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                java, "-cp", childClasspath(), WorkloadPeerMain.class.getName(), socket(node).toString()));
        cmd.addAll(List.of(commands));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("workload process finished").isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        List<String> lines = text.lines().filter(l -> l.startsWith("FETCH ") || l.startsWith("CONNECT ")).toList();
        assertThat(lines).as("the workload's report in:%n%s", text).hasSize(commands.length);
        return lines;
    }

    /// Closes the agents and clients it made, then stops the server.
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
        server.close();
    }
}
