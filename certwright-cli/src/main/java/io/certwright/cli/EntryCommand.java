package io.certwright.cli;

import io.certwright.core.Durations;
import io.certwright.core.SpiffeId;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/// `certwright entry`: registration entries, which tell node agents which workloads get which SPIFFE IDs.
@Command(name = "entry", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Registration entries of a Certwright server: which workloads, on which nodes, get which "
                + "SPIFFE IDs.",
        subcommands = {EntryCommand.Create.class, EntryCommand.ListEntries.class, EntryCommand.Delete.class})
final class EntryCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /// Where the entry is delegated: one agent, or the agents of matching nodes.
    static final class Parent {
        @Option(names = "--parent", paramLabel = "ID", converter = Converters.Spiffe.class,
                description = "SPIFFE ID of the agent the entry is delegated to, "
                        + "spiffe://<trust-domain>/certwright/agent/<node>.")
        @Nullable SpiffeId agent;

        @Option(names = "--node", paramLabel = "GLOB",
                description = "Delegate to every agent whose node name matches, e.g. web-* (sent as "
                        + "certwright:node:<GLOB>).")
        @Nullable String node;

        String text() {
            return agent != null ? agent.toString() : "certwright:node:" + node;
        }
    }

    /// `certwright entry create`.
    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Create a registration entry; prints its ID on stdout.")
    static final class Create extends ClientCommand {

        @Option(names = "--spiffe-id", paramLabel = "ID", required = true, converter = Converters.Spiffe.class,
                description = "SPIFFE ID the workload's SVIDs carry.")
        @SuppressWarnings("NullAway.Init")
        SpiffeId spiffeId;

        @ArgGroup(exclusive = true, multiplicity = "1")
        @SuppressWarnings("NullAway.Init")
        Parent parent;

        @Option(names = "--selector", paramLabel = "S", required = true,
                description = "What the workload must show, e.g. unix:uid:1000, unix:user:www, unix:path:/usr/bin/app, "
                        + "unix:sha256:<hex>; repeatable, all must match.")
        List<String> selectors = new ArrayList<>();

        @Option(names = "--x509-svid-ttl", paramLabel = "DURATION", converter = Converters.Lifetime.class,
                description = "Lifetime of its X509-SVIDs (default 1h).")
        @Nullable Duration x509SvidTtl;

        @Option(names = "--jwt-svid-ttl", paramLabel = "DURATION", converter = Converters.Lifetime.class,
                description = "Lifetime of its JWT-SVIDs (default 5m).")
        @Nullable Duration jwtSvidTtl;

        @Option(names = "--dns", paramLabel = "NAME", description = "DNS name its X509-SVIDs carry; repeatable.")
        List<String> dns = new ArrayList<>();

        @Option(names = "--admin", description = "Mark the workload as an administrator.")
        boolean admin;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Mixin
        TokenOptions tokens = new TokenOptions();

        @Override
        int run(Main main) throws Exception {
            ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())),
                    Optional.empty());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("spiffe_id", spiffeId.toString());
            body.put("parent_id", parent.text());
            body.put("selectors", selectors);
            if (x509SvidTtl != null) {
                body.put("x509_svid_ttl", Durations.format(x509SvidTtl));
            }
            if (jwtSvidTtl != null) {
                body.put("jwt_svid_ttl", Durations.format(jwtSvidTtl));
            }
            if (!dns.isEmpty()) {
                body.put("dns_names", dns);
            }
            body.put("admin", admin);
            JsonNode answer = client.post("/api/v1/entries", body);
            PrintWriter err = spec.commandLine().getErr();
            err.println(Text.CHECK + " Created registration entry for " + answer.path("spiffe_id").asString(""));
            Text.row(err, "  ", "Parent", answer.path("parent_id").asString(""));
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.println(answer.path("id").asString(""));
            out.flush();
            return 0;
        }
    }

    /// `certwright entry list`.
    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List registration entries, one per line: ID, SPIFFE ID, parent, selectors.")
    static final class ListEntries extends ClientCommand {

        @Option(names = "--parent", paramLabel = "ID",
                description = "Only entries with this parent (an agent SPIFFE ID or certwright:node:<glob>).")
        @Nullable String parent;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Mixin
        TokenOptions tokens = new TokenOptions();

        @Override
        int run(Main main) throws Exception {
            ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())),
                    Optional.empty());
            JsonNode answer = client.get(ServerClient.query("/api/v1/entries",
                    Map.of("parent_id", Optional.ofNullable(parent))));
            PrintWriter out = spec.commandLine().getOut();
            for (JsonNode e : answer.path("entries")) {
                List<String> selectors = e.path("selectors").valueStream().map(JsonNode::asString).toList();
                out.println(e.path("id").asString("") + "  " + e.path("spiffe_id").asString("") + "  "
                        + e.path("parent_id").asString("") + "  " + String.join(",", selectors));
            }
            out.flush();
            return 0;
        }
    }

    /// `certwright entry delete`.
    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Delete a registration entry.")
    static final class Delete extends ClientCommand {

        @Parameters(paramLabel = "ID", description = "The entry's ID.")
        @SuppressWarnings("NullAway.Init")
        String id;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Mixin
        TokenOptions tokens = new TokenOptions();

        @Override
        int run(Main main) throws Exception {
            ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())),
                    Optional.empty());
            client.delete("/api/v1/entries/" + ServerClient.segment(id));
            PrintWriter err = spec.commandLine().getErr();
            err.println(Text.CHECK + " Deleted registration entry " + id);
            err.flush();
            return 0;
        }
    }
}
