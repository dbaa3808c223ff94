package io.certwright.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/// `certwright revoke`: marks a certificate revoked on the server.
@Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Revoke a certificate on a Certwright server (needs an admin or operator token).")
final class RevokeCommand extends ClientCommand {

    /// The reason codes of RFC 5280, section 5.3.1, as the API names them.
    static final List<String> REASONS = List.of("unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
            "superseded", "cessationOfOperation", "certificateHold", "removeFromCRL", "privilegeWithdrawn",
            "aACompromise");

    @Parameters(paramLabel = "SERIAL", description = "Serial number in hex, with or without colons.")
    @SuppressWarnings("NullAway.Init")
    String serial;

    @Option(names = "--reason", paramLabel = "REASON", completionCandidates = Reasons.class,
            description = "Why: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    String reason = "unspecified";

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    TokenOptions tokens = new TokenOptions();

    @Override
    int run(Main main) throws Exception {
        String hex = normalizeSerial(serial);
        String wireReason = REASONS.stream().filter(r -> r.equalsIgnoreCase(reason.strip())).findFirst()
                .orElseThrow(() -> new CliException("unknown revocation reason '" + reason + "'; expected one of "
                        + String.join(", ", REASONS)));
        ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())), Optional.empty());
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
