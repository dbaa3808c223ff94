package io.certwright.cli;

import java.io.PrintWriter;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/// A request the server answered with an error: an RFC 9457 problem (`application/problem+json`), or any
/// other non-success response described by its status. Printed as `error: <title>: <detail>` and one line
/// per policy refusal; the command exits 1.
final class ServerProblem extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /// One rule that refused the request, and why.
    record Refusal(String rule, String detail) {
    }

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final List<Refusal> refusals;

    ServerProblem(int status, String type, String title, String detail, List<Refusal> refusals) {
        super(title + (detail.isEmpty() ? "" : ": " + detail));
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.refusals = List.copyOf(refusals);
    }

    /// Decodes an error response; a body that is not a problem document still yields a readable message.
    static ServerProblem of(int status, String contentType, String body) {
        String mediaType = contentType.toLowerCase(Locale.ROOT);
        if (mediaType.contains("json")) {
            try {
                JsonNode problem = ServerClient.JSON.readTree(body);
                if (problem.isObject()) {
                    List<Refusal> refusals = new ArrayList<>();
                    for (JsonNode r : problem.path("refusals").values()) {
                        refusals.add(new Refusal(text(r, "rule"), text(r, "detail")));
                    }
                    String title = text(problem, "title");
                    return new ServerProblem(status, text(problem, "type"),
                            title.isEmpty() ? "HTTP " + status : title, text(problem, "detail"), refusals);
                }
            } catch (JacksonException e) {
                // Not JSON after all: described below from the raw body.
            }
        }
        String excerpt = ErrorHandler.oneLine(body);
        if (excerpt.length() > 200) {
            excerpt = excerpt.substring(0, 200) + "...";
        }
        return new ServerProblem(status, "", "HTTP " + status, excerpt, List.of());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? ErrorHandler.oneLine(v.asString()) : "";
    }

    int status() {
        return status;
    }

    /// The problem type URI, empty when the server sent none.
    String type() {
        return type;
    }

    String title() {
        return title;
    }

    String detail() {
        return detail;
    }

    List<Refusal> refusals() {
        return refusals;
    }

    /// The lines printed on stderr: `error: <title>: <detail>`, then `  <rule>: <detail>` per refusal.
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("error: " + getMessage());
        for (Refusal r : refusals) {
            lines.add("  " + r.rule() + ": " + r.detail());
        }
        return lines;
    }

    void print(PrintWriter err) {
        lines().forEach(err::println);
        err.flush();
    }
}
