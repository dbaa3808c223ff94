package io.certwright.cli;

import io.certwright.core.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/// `certwright list`: the server's certificate inventory, filtered, every page.
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the certificates a Certwright server issued, following every page of results.")
final class ListCommand extends ClientCommand {

    private static final int PAGE = 500;

    @Option(names = "--expiring", paramLabel = "DURATION", converter = Converters.Lifetime.class,
            description = "Only certificates expiring within this time, e.g. 7d.")
    @Nullable Duration expiring;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only this status, e.g. active, revoked, expired.")
    @Nullable String status;

    @Option(names = "--spiffe-id-prefix", paramLabel = "PREFIX", description = "Only SPIFFE IDs starting with PREFIX.")
    @Nullable String spiffeIdPrefix;

    @Option(names = "--dns-prefix", paramLabel = "PREFIX", description = "Only DNS names starting with PREFIX.")
    @Nullable String dnsPrefix;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "Only this profile.")
    @Nullable String profile;

    @Option(names = "--requester", paramLabel = "WHO", description = "Only certificates this requester asked for.")
    @Nullable String requester;

    @Option(names = "--json", description = "Print a JSON array of the certificates as the server describes them.")
    boolean json;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    TokenOptions tokens = new TokenOptions();

    @Override
    int run(Main main) throws Exception {
        ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())), Optional.empty());
        List<JsonNode> items = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Map<String, Optional<String>> q = new LinkedHashMap<>();
            q.put("status", Optional.ofNullable(status));
            q.put("expiring_within", Optional.ofNullable(expiring).map(Durations::format));
            q.put("spiffe_id_prefix", Optional.ofNullable(spiffeIdPrefix));
            q.put("dns_prefix", Optional.ofNullable(dnsPrefix));
            q.put("profile", Optional.ofNullable(profile));
            q.put("requester", Optional.ofNullable(requester));
            q.put("cursor", cursor);
            q.put("limit", Optional.of(Integer.toString(PAGE)));
            JsonNode page = client.get(ServerClient.query("/api/v1/certificates", q));
            page.path("items").values().forEach(items::add);
            Optional<String> next = page.path("next_cursor").asStringOpt().filter(s -> !s.isEmpty());
            if (next.isPresent() && next.equals(cursor)) {
                throw new CliException("the server returned the same page cursor twice");
            }
            cursor = next;
        } while (cursor.isPresent());

        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ArrayNode array = ServerClient.JSON.createArrayNode();
            items.forEach(array::add);
            w.println(ServerClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
            return 0;
        }
        Instant now = main.clock().instant();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERIAL", "STATUS", "PROFILE", "EXPIRES", "NAMES"});
        for (JsonNode item : items) {
            rows.add(new String[] {item.path("serial").asString(""), item.path("status").asString(""),
                item.path("profile").asString(""), expires(item.path("not_after").asString(""), now), names(item)});
        }
        int[] widths = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(r[i]).append(" ".repeat(widths[i] - r[i].length() + 2));
            }
            w.println(line.append(r[4]).toString().stripTrailing());
        }
        w.println(items.size() + (items.size() == 1 ? " certificate" : " certificates"));
        return 0;
    }

    private static String expires(String notAfter, Instant now) {
        try {
            Instant t = Instant.parse(notAfter);
            Duration left = Duration.between(now, t);
            return Text.time(t) + (left.isNegative() ? " (expired)" : " (in " + Text.human(left) + ")");
        } catch (DateTimeParseException e) {
            return notAfter;
        }
    }

    private static String names(JsonNode item) {
        List<String> names = new ArrayList<>();
        item.path("spiffe_id").asStringOpt().filter(s -> !s.isEmpty()).ifPresent(names::add);
        for (JsonNode n : item.path("names").values()) {
            String name = n.asString("");
            if (!name.isEmpty() && !names.contains(name)) {
                names.add(name);
            }
        }
        return String.join(", ", names);
    }
}
