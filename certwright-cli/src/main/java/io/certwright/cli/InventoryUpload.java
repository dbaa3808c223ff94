package io.certwright.cli;

import io.certwright.inventory.Findings;
import io.certwright.inventory.TlsFacts;
import io.certwright.inventory.discovery.Finding;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/// Sends scan findings to a server's inventory (`POST /api/v1/inventory/sightings`) in batches that stay
/// under the server's default body limit, and sums up what the server did with them.
final class InventoryUpload {

    /// Most sightings per request.
    static final int MAX_BATCH = 200;
    /// Most bytes of sighting JSON per request: below the server's default limit of 64 KiB.
    static final int MAX_BATCH_BYTES = 56 * 1024;

    private InventoryUpload() {
    }

    /// What the server did with the findings.
    ///
    /// @param added certificates new to the inventory
    /// @param updated certificates it knew, seen again or somewhere new
    /// @param refused one line per finding the server refused: its place and the reason
    record Result(int added, int updated, List<String> refused) {
        Result {
            refused = List.copyOf(refused);
        }
    }

    /// One finding as the sightings API takes it.
    static ObjectNode sighting(Finding f) {
        ObjectNode o = ServerClient.JSON.createObjectNode();
        ArrayNode chain = o.putArray("chain");
        for (byte[] der : f.chainDer()) {
            chain.add(Base64.getEncoder().encodeToString(der));
        }
        o.put("place", Findings.place(f.place()).key());
        o.put("seen_at", f.seenAt().toString());
        if (f.tls().isPresent()) {
            TlsFacts t = Findings.facts(f.tls().get(), f.chain());
            ObjectNode tls = o.putObject("tls");
            tls.put("hostname_matches", t.hostnameMatches());
            tls.put("chain_trusted", t.chainTrusted());
            tls.put("chain_complete", t.chainComplete());
        }
        return o;
    }

    /// Sends every finding, in batches.
    static Result send(ServerClient client, List<Finding> findings) throws Exception {
        int added = 0;
        int updated = 0;
        List<String> refused = new ArrayList<>();
        List<ObjectNode> batch = new ArrayList<>();
        List<Finding> batchFindings = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i <= findings.size(); i++) {
            ObjectNode next = i < findings.size() ? sighting(findings.get(i)) : null;
            int size = next == null ? 0 : ServerClient.JSON.writeValueAsBytes(next).length + 1;
            if (!batch.isEmpty() && (next == null || batch.size() == MAX_BATCH || bytes + size > MAX_BATCH_BYTES)) {
                ObjectNode body = ServerClient.JSON.createObjectNode();
                ArrayNode items = body.putArray("sightings");
                batch.forEach(items::add);
                JsonNode answer = client.post("/api/v1/inventory/sightings", body);
                added += answer.path("added").asInt(0);
                updated += answer.path("updated").asInt(0);
                for (JsonNode r : answer.path("rejected").values()) {
                    int index = r.path("index").asInt(-1);
                    String where = index >= 0 && index < batchFindings.size()
                            ? batchFindings.get(index).place().describe() : "item " + index;
                    refused.add(where + ": " + r.path("reason").asString(""));
                }
                batch.clear();
                batchFindings.clear();
                bytes = 0;
            }
            if (next != null) {
                batch.add(next);
                batchFindings.add(findings.get(i));
                bytes += size;
            }
        }
        return new Result(added, updated, refused);
    }

    /// Prints the summary line and each refusal.
    static void print(PrintWriter err, String server, Result r) {
        err.println("sent to " + server + ": " + r.added() + " new, " + r.updated() + " known, " + r.refused().size()
                + " refused");
        r.refused().forEach(line -> err.println("refused: " + line));
        err.flush();
    }
}
