package io.certwright.cli;

import io.certwright.agent.AgentConfig;
import io.certwright.agent.CertwrightAgent;
import io.certwright.agent.files.SvidFileOptions;
import io.certwright.agent.node.HttpNodeClient;
import io.certwright.core.Durations;
import io.certwright.core.SpiffeId;
import io.certwright.server.LogFormat;
import io.certwright.server.ServerLogging;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/// `certwright agent`: the node agent and its administration.
///
/// With `--server` it runs the node agent process: it attests with a one-time join token (or the agent SVID
/// saved in its data directory), serves the SPIFFE Workload API on `--socket` and keeps the SVIDs fresh
/// until SIGTERM or SIGINT. The subcommands `token create` and `ban` administer agents through a
/// Certwright server. With neither, it prints its usage.
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the node agent, or administer agents (join tokens, bans).",
            "Run: certwright agent --server URL --ca-cert FILE --join-token-file F --socket PATH [--data-dir DIR]",
            "The join token comes from --join-token, --join-token-file or CERTWRIGHT_JOIN_TOKEN; after the first "
                + "start the agent SVID saved in the data directory is used instead. Stops on SIGTERM or Ctrl-C."},
        subcommands = {AgentCommand.TokenGroup.class, AgentCommand.Ban.class})
final class AgentCommand implements java.util.concurrent.Callable<Integer> {

    /// Environment variable holding the join token, so that it does not show in the process list.
    static final String JOIN_TOKEN_VARIABLE = "CERTWRIGHT_JOIN_TOKEN";
    /// Data directory unless `--data-dir` is given.
    static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/certwright-agent");

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--join-token", paramLabel = "TOKEN",
            description = "One-time join token ('certwright agent token create --node NAME'). Visible in the "
                    + "process list: prefer --join-token-file or CERTWRIGHT_JOIN_TOKEN.")
    @Nullable String joinToken;

    @Option(names = "--join-token-file", paramLabel = "FILE", description = "File holding the join token.")
    @Nullable Path joinTokenFile;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Unix socket of the Workload API (workloads use SPIFFE_ENDPOINT_SOCKET=unix:PATH).")
    @Nullable Path socket;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the agent keeps its SVID, key and cache, mode 0700 (default: "
                    + "/var/lib/certwright-agent).")
    @Nullable Path dataDir;

    @Option(names = "--write-svid", paramLabel = "DIR",
            description = "Also write one SVID as svid.pem, svid.key and bundle.pem into DIR, for software that "
                    + "reads files; needs --write-svid-for.")
    @Nullable Path writeSvid;

    @Option(names = "--write-svid-for", paramLabel = "SPIFFE_ID", converter = Converters.Spiffe.class,
            description = "SPIFFE ID of the entry whose SVID --write-svid writes.")
    @Nullable SpiffeId writeSvidFor;

    @Option(names = "--reload-cmd", paramLabel = "CMD",
            description = "Command run with sh -c after each write of --write-svid, e.g. 'systemctl reload nginx'.")
    @Nullable String reloadCmd;

    @Option(names = "--log-format", paramLabel = "FORMAT", converter = ServerCommand.LogFormatConverter.class,
            description = "Log format on standard error: text or json (JSON Lines) (default: text).")
    @Nullable LogFormat logFormat;

    @Override
    public Integer call() throws Exception {
        if (connection.server == null) {
            if (socket != null || joinToken != null || joinTokenFile != null || dataDir != null || writeSvid != null
                    || writeSvidFor != null || reloadCmd != null || connection.caCert != null) {
                throw new CliException("running the agent needs --server URL");
            }
            spec.commandLine().usage(spec.commandLine().getErr());
            return CommandLine.ExitCode.USAGE;
        }
        Main main = Main.of(spec);
        AgentConfig config = config(main);
        ConnectionOptions.TrustedRoots trusted = connection.roots(ClientHome.of(main.environment()),
                config.serverUrl());
        ServerLogging.configure(logFormat == null ? LogFormat.TEXT : logFormat);
        CertwrightAgent agent = new CertwrightAgent(config, HttpNodeClient.factory(trusted.roots()));
        try {
            agent.start();
        } catch (IllegalStateException | IOException e) {
            agent.close();
            throw new CliException(String.valueOf(e.getMessage()));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "certwright-agent-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Certwright agent serving the Workload API on unix:" + config.socketPath());
        out.println("Server: " + config.serverUrl() + " (roots from " + trusted.source() + ")");
        out.println("Data directory: " + config.dataDir());
        out.flush();
        stopped.await();
        return 0;
    }

    /// The agent's configuration from the options and the environment.
    AgentConfig config(Main main) throws IOException, CliException {
        ClientHome home = ClientHome.of(main.environment());
        URI url = connection.server(home);
        if (socket == null) {
            throw new CliException("running the agent needs --socket PATH");
        }
        AgentConfig.Builder b = AgentConfig.builder(url, socket, dataDir == null ? DEFAULT_DATA_DIR : dataDir)
                .clock(main.clock());
        Optional<String> token = joinToken(main.environment());
        token.ifPresent(b::joinToken);
        if ((writeSvid == null) != (writeSvidFor == null)) {
            throw new CliException("--write-svid DIR and --write-svid-for SPIFFE_ID go together");
        }
        if (reloadCmd != null && writeSvid == null) {
            throw new CliException("--reload-cmd needs --write-svid");
        }
        if (writeSvid != null && writeSvidFor != null) {
            b.svidFiles(new SvidFileOptions(writeSvid, writeSvidFor, Optional.ofNullable(reloadCmd),
                    SvidFileOptions.DEFAULT_RELOAD_TIMEOUT));
        }
        return b.build();
    }

    /// `--join-token`, else `--join-token-file`, else `CERTWRIGHT_JOIN_TOKEN`; none is fine when the data
    /// directory holds an agent SVID.
    private Optional<String> joinToken(Map<String, String> environment) throws IOException, CliException {
        if (joinToken != null && joinTokenFile != null) {
            throw new CliException("give the join token once: --join-token or --join-token-file");
        }
        String value;
        String source;
        if (joinToken != null) {
            value = joinToken;
            source = "--join-token";
        } else if (joinTokenFile != null) {
            value = Files.readString(joinTokenFile, StandardCharsets.UTF_8);
            source = joinTokenFile.toString();
        } else {
            value = environment.get(JOIN_TOKEN_VARIABLE);
            source = JOIN_TOKEN_VARIABLE;
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
        }
        String token = value.strip();
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= 32 || c >= 127)) {
            throw new CliException("the join token from " + source + " must be one word of printable ASCII");
        }
        return Optional.of(token);
    }

    /// `certwright agent token`.
    @Command(name = "token", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "One-time join tokens that attest a node agent.", subcommands = TokenCreate.class)
    static final class TokenGroup implements java.util.concurrent.Callable<Integer> {

        @Spec
        @SuppressWarnings("NullAway.Init")
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return CommandLine.ExitCode.USAGE;
        }
    }

    /// `certwright agent token create`.
    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Create a one-time join token for the agent of one node.",
                "Prints only the token on stdout, once; the details go to stderr."})
    static final class TokenCreate extends ClientCommand {

        @Option(names = "--node", paramLabel = "NAME", required = true,
                description = "Node name; the agent becomes spiffe://<trust-domain>/certwright/agent/<NAME>.")
        @SuppressWarnings("NullAway.Init")
        String node;

        @Option(names = "--ttl", paramLabel = "DURATION", converter = Converters.Lifetime.class,
                description = "How long the token stays usable (default 1h).")
        @Nullable Duration ttl;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Mixin
        TokenOptions tokens = new TokenOptions();

        @Override
        int run(Main main) throws Exception {
            ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())),
                    Optional.empty());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("node", node);
            if (ttl != null) {
                body.put("ttl", Durations.format(ttl));
            }
            JsonNode answer = client.post("/api/v1/agents/tokens", body);
            String token = answer.path("token").asString("");
            if (token.isEmpty()) {
                throw new CliException("the server's answer holds no token");
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println(Text.CHECK + " Created a one-time join token for node " + node);
            Text.row(err, "  ", "Agent", answer.path("spiffe_id").asString(""));
            Text.row(err, "  ", "Expires", answer.path("expires_at").asString(""));
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.println(token);
            out.flush();
            return 0;
        }
    }

    /// `certwright agent ban`.
    @Command(name = "ban", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Ban a node agent: its SVIDs and those it obtained are revoked, its requests refused.")
    static final class Ban extends ClientCommand {

        @Parameters(paramLabel = "NAME", description = "The node name.")
        @SuppressWarnings("NullAway.Init")
        String name;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Mixin
        TokenOptions tokens = new TokenOptions();

        @Override
        int run(Main main) throws Exception {
            ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())),
                    Optional.empty());
            JsonNode answer = client.post("/api/v1/agents/" + ServerClient.segment(name) + "/ban", Map.of());
            PrintWriter err = spec.commandLine().getErr();
            err.println(Text.CHECK + " Banned agent " + name + "; " + answer.path("revoked_certificates").asInt(0)
                    + " certificates revoked");
            err.flush();
            return 0;
        }
    }
}
