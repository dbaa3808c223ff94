package io.certwright.cli;

import io.certwright.ca.audit.AuditChain;
import io.certwright.ca.audit.AuditEntry;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/// `certwright audit verify`: walks the audit hash chain and reports the first broken or missing link.
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Verify the audit log's hash chain, from a running server (--server) or an export (--file).",
            "Prints 'audit chain intact: N entries' and exits 0, or names the first broken or missing link and "
                + "exits 1."})
final class AuditVerifyCommand extends ClientCommand {

    private static final int PAGE = 1000;

    /// Where the entries come from.
    static final class Source {
        @Option(names = "--file", paramLabel = "EXPORT.jsonl", description = "An export written by 'certwright audit export'.")
        @Nullable Path file;

        @Option(names = "--server", paramLabel = "URL", description = "Server URL, e.g. https://127.0.0.1:8443.")
        @Nullable String server;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    @Nullable Source source;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "PEM file with the server's roots to trust (default: the roots pinned by 'certwright bootstrap').")
    @Nullable Path caCert;

    @Mixin
    TokenOptions tokens = new TokenOptions();

    @Override
    int run(Main main) throws Exception {
        AuditChain.Verifier verifier = new AuditChain.Verifier();
        AuditEntries.Result result;
        Path file = source == null ? null : source.file;
        if (file != null) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                result = AuditEntries.verifyLines(in, verifier);
            }
        } else {
            ConnectionOptions connection = new ConnectionOptions();
            connection.server = source == null ? null : source.server;
            connection.caCert = caCert;
            ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())), Optional.empty());
            result = fromServer(client, verifier);
        }
        if (result.problem().isPresent()) {
            spec.commandLine().getErr().println("error: audit chain broken: " + result.problem().get() + "; "
                    + result.intact() + (result.intact() == 1 ? " entry" : " entries") + " before it verified");
            return 1;
        }
        spec.commandLine().getOut().println("audit chain intact: " + result.intact()
                + (result.intact() == 1 ? " entry" : " entries"));
        return 0;
    }

    private static AuditEntries.Result fromServer(ServerClient client, AuditChain.Verifier verifier) throws Exception {
        long from = 1;
        while (true) {
            Map<String, Optional<String>> q = new LinkedHashMap<>();
            q.put("from", Optional.of(Long.toString(from)));
            q.put("limit", Optional.of(Integer.toString(PAGE)));
            JsonNode page = client.get(ServerClient.query("/api/v1/audit", q));
            List<JsonNode> entries = List.copyOf(page.path("entries").values());
            if (entries.isEmpty()) {
                return new AuditEntries.Result(verifier.checked(), Optional.empty());
            }
            for (JsonNode n : entries) {
                AuditEntry e;
                try {
                    e = AuditEntries.parse(n);
                } catch (CliException bad) {
                    return new AuditEntries.Result(verifier.checked(), Optional.of("the entry after "
                            + verifier.checked() + " is not an audit entry: " + bad.getMessage()));
                }
                Optional<String> problem = verifier.accept(e);
                if (problem.isPresent()) {
                    return new AuditEntries.Result(verifier.checked(), problem);
                }
                from = e.sequence() + 1;
            }
        }
    }
}
