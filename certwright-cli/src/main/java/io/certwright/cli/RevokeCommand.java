package io.certwright.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/// `certwright revoke`: marks a certificate revoked on the server, or every certificate a selector takes.
@Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Revoke a certificate on a Certwright server (needs an admin or operator token).",
            "Give a SERIAL, or one selector to revoke every valid certificate it takes."})
final class RevokeCommand extends ClientCommand {

    /// The reason codes of RFC 5280, section 5.3.1, as the API names them.
    static final List<String> REASONS = List.of("unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
            "superseded", "cessationOfOperation", "certificateHold", "removeFromCRL", "privilegeWithdrawn",
            "aACompromise");

    @Parameters(paramLabel = "SERIAL", arity = "0..1", description = "Serial number in hex, with or without colons.")
    @Nullable String serial;

    @Option(names = "--spiffe-id", paramLabel = "PATTERN",
            description = "Every certificate whose SPIFFE ID matches, e.g. spiffe://example.org/ns/prod/* "
                    + "(* one segment, ** any depth).")
    @Nullable String spiffeId;

    @Option(names = "--dns", paramLabel = "PATTERN",
            description = "Every certificate with a DNS name matching, e.g. *.example.com (* one label, ** any depth).")
    @Nullable String dns;

    @Option(names = "--issuer-key-id", paramLabel = "ID",
            description = "Every certificate signed by the CA key with this subject key identifier (hex).")
    @Nullable String issuerKeyId;

    @Option(names = "--reason", paramLabel = "REASON", completionCandidates = Reasons.class,
            description = "Why: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    String reason = "unspecified";

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    TokenOptions tokens = new TokenOptions();

    @Override
    int run(Main main) throws Exception {
        String wireReason = REASONS.stream().filter(r -> r.equalsIgnoreCase(reason.strip())).findFirst()
                .orElseThrow(() -> new CliException("unknown revocation reason '" + reason + "'; expected one of "
                        + String.join(", ", REASONS)));
        Map<String, String> selector = new LinkedHashMap<>();
        if (spiffeId != null) {
            selector.put("spiffe_id", spiffeId);
        }
        if (dns != null) {
            selector.put("dns", dns);
        }
        if (issuerKeyId != null) {
            selector.put("issuer_key_id", issuerKeyId);
        }
        if ((serial == null ? 0 : 1) + selector.size() != 1) {
            throw new CliException("give exactly one of SERIAL, --spiffe-id, --dns or --issuer-key-id");
        }
        ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())), Optional.empty());
        if (serial == null) {
            return revokeAll(client, selector, wireReason);
        }
        String hex = normalizeSerial(serial);
        JsonNode answer = client.post("/api/v1/certificates/" + ServerClient.segment(hex) + "/revoke",
                Map.of("reason", wireReason));
        String shown = answer.path("serial").asString(hex);
        if (answer.path("already_revoked").asBoolean(false)) {
            // Not an error: the certificate is revoked, only not by this call.
            spec.commandLine().getOut().println(Text.CHECK + " Certificate " + shown + " was already revoked ("
                    + answer.path("revocation_reason").asString("unspecified") + ", at "
                    + answer.path("revoked_at").asString("an unknown time") + ")");
            return 0;
        }
        spec.commandLine().getOut().println(Text.CHECK + " Revoked certificate " + shown + " (" + wireReason + ")");
        return 0;
    }

    private int revokeAll(ServerClient client, Map<String, String> selector, String wireReason) throws Exception {
        Map<String, String> body = new LinkedHashMap<>(selector);
        body.put("reason", wireReason);
        JsonNode answer = client.post("/api/v1/certificates/revoke", body);
        var out = spec.commandLine().getOut();
        int count = answer.path("count").asInt(0);
        out.println(Text.CHECK + " Revoked " + count + (count == 1 ? " certificate" : " certificates") + " ("
                + wireReason + ", " + answer.path("selector").asString("") + ")");
        for (JsonNode s : answer.path("revoked")) {
            out.println("  " + s.asString());
        }
        return 0;
    }

    /// Lowercase hex without colons or spaces; refuses anything else.
    static String normalizeSerial(String serial) throws CliException {
        String hex = serial.strip().replace(":", "").toLowerCase(Locale.ROOT);
        if (hex.isEmpty() || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new CliException("'" + serial + "' is not a serial number in hex");
        }
        return hex;
    }

    static final class Reasons implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return REASONS.iterator();
        }
    }
}
