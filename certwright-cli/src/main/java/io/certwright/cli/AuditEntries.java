package io.certwright.cli;

import io.certwright.ca.audit.AuditChain;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/// Audit entries as the server writes them in JSON (`sequence`, `time`, `actor`, `action`, `target`,
/// `outcome`, `details`, `previous_hash`, `hash`), and the walk of their hash chain.
final class AuditEntries {

    private AuditEntries() {
    }

    /// How a walk of the chain ended: every entry linked, or the first break.
    ///
    /// @param intact entries verified before the walk ended
    /// @param problem the first broken or missing link, empty when the whole chain is intact
    record Result(long intact, Optional<String> problem) {
    }

    /// One entry from its JSON object.
    static AuditEntry parse(JsonNode n) throws CliException {
        if (!n.isObject()) {
            throw new CliException("not a JSON object");
        }
        JsonNode seq = n.path("sequence");
        if (!seq.canConvertToLong() || !seq.isIntegralNumber()) {
            throw new CliException("no numeric 'sequence'");
        }
        Map<String, String> details = new TreeMap<>();
        for (Map.Entry<String, JsonNode> d : n.path("details").properties()) {
            JsonNode v = d.getValue();
            details.put(d.getKey(), v.isString() ? v.stringValue() : v.toString());
        }
        try {
            AuditEvent event = new AuditEvent(text(n, "actor"), text(n, "action"), text(n, "target"),
                    AuditEvent.Outcome.parse(text(n, "outcome")), details);
            return new AuditEntry(seq.asLong(), Instant.parse(text(n, "time")), event, text(n, "previous_hash"),
                    text(n, "hash"));
        } catch (DateTimeParseException e) {
            throw new CliException("'time' is not an ISO-8601 instant");
        } catch (IllegalArgumentException e) {
            throw new CliException(String.valueOf(e.getMessage()));
        }
    }

    private static String text(JsonNode n, String field) throws CliException {
        JsonNode v = n.path(field);
        if (!v.isString()) {
            throw new CliException("no text field '" + field + "'");
        }
        return v.stringValue();
    }

    /// Walks JSON Lines from `in` (blank lines ignored) through `verifier`.
    static Result verifyLines(BufferedReader in, AuditChain.Verifier verifier) throws IOException {
        String line;
        long lineNumber = 0;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            AuditEntry entry;
            try {
                entry = parse(ServerClient.JSON.readTree(line));
            } catch (JacksonException e) {
                return new Result(verifier.checked(), Optional.of("line " + lineNumber + " is not valid JSON: "
                        + ErrorHandler.oneLine(e.getOriginalMessage())));
            } catch (CliException e) {
                return new Result(verifier.checked(), Optional.of("line " + lineNumber + " is not an audit entry: "
                        + e.getMessage()));
            }
            Optional<String> problem = verifier.accept(entry);
            if (problem.isPresent()) {
                return new Result(verifier.checked(), Optional.of(problem.get() + " (line " + lineNumber + ")"));
            }
        }
        return new Result(verifier.checked(), Optional.empty());
    }
}
