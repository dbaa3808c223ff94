package io.certwright.cli;

import io.certwright.core.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
/// Run without a subcommand (later: with `--server`, `--join-token` and `--socket`) it is meant to become
/// the node agent process itself; that process is not part of this command yet, so it prints its usage.
/// The subcommands `token create` and `ban` administer agents through a Certwright server.
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Node agents: join tokens and bans.",
            "(Running the agent itself, 'certwright agent --server URL --join-token T --socket PATH', is not "
                + "available in this build.)"},
        subcommands = {AgentCommand.TokenGroup.class, AgentCommand.Ban.class})
final class AgentCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    // The agent process's own options (--server, --join-token, --socket) belong here, with call() running it.

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
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
