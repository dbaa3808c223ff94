package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.audit.AuditChain;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `certwright audit verify --file` on crafted exports: an intact chain, an altered line, a missing line
/// and a line that is no audit entry at all.
class AuditVerifyFileTest {

    @TempDir
    Path dir;

    List<String> lines = new ArrayList<>();

    @BeforeEach
    void craftAChainOfFiveEntries() {
        Optional<AuditEntry> previous = Optional.empty();
        Instant t = Instant.parse("2030-01-01T00:00:00.123Z");
        for (int i = 1; i <= 5; i++) {
            AuditEntry e = AuditChain.next(previous, t.plusSeconds(i), AuditEvent.success("token:admin",
                    "certificate.issue", "0" + i, Map.of("profile", "svid", "spiffe_id", "spiffe://example.org/w" + i)));
            lines.add(line(e));
            previous = Optional.of(e);
        }
    }

    /// An entry as the server exports it: one JSON object with snake_case keys.
    static String line(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", e.sequence());
        m.put("time", e.time().toString());
        m.put("actor", e.event().actor());
        m.put("action", e.event().action());
        m.put("target", e.event().target());
        m.put("outcome", e.event().outcome().wireName());
        m.put("details", e.event().details());
        m.put("previous_hash", e.previousHash());
        m.put("hash", e.hash());
        return ServerClient.JSON.writeValueAsString(m);
    }

    private Cli.Result verify(List<String> content) throws Exception {
        Path f = dir.resolve("export.jsonl");
        Files.writeString(f, String.join("\n", content) + "\n");
        return Cli.run("audit", "verify", "--file", f.toString());
    }

    @Test
    void anIntactExportVerifiesAndCountsItsEntries() throws Exception {
        Cli.Result r = verify(lines);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("audit chain intact: 5 entries" + System.lineSeparator());
    }

    @Test
    void anAlteredEntryIsReportedAsTheFirstBrokenLink() throws Exception {
        lines.set(2, lines.get(2).replace("spiffe://example.org/w3", "spiffe://example.org/evil"));
        Cli.Result r = verify(lines);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("error: audit chain broken: entry 3 was altered (hash mismatch) (line 3); 2 entries before it verified");
    }

    @Test
    void aRemovedEntryIsReportedAsMissing() throws Exception {
        lines.remove(1);
        Cli.Result r = verify(lines);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("entry 2 is missing (found 3)", "1 entry before it verified");
    }

    @Test
    void anEntryWithARecomputedHashStillBreaksTheLinkToItsSuccessor() throws Exception {
        AuditEntry forged = AuditChain.next(Optional.empty(), Instant.parse("2030-01-01T00:00:01.123Z"),
                AuditEvent.success("token:admin", "certificate.issue", "01", Map.of()));
        lines.set(0, line(forged));
        Cli.Result r = verify(lines);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("entry 2 does not link to entry 1");
    }

    @Test
    void aLineThatIsNotJsonIsReportedWithItsLineNumber() throws Exception {
        lines.set(3, "{not json");
        Cli.Result r = verify(lines);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("line 4 is not valid JSON", "3 entries before it verified");
    }

    @Test
    void aMissingFileIsOneErrorLine() {
        Cli.Result r = Cli.run("audit", "verify", "--file", dir.resolve("nope.jsonl").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: no such file or directory");
    }

    @Test
    void fileAndServerCannotBeCombined() throws Exception {
        Cli.Result r = Cli.run("audit", "verify", "--file", "x.jsonl", "--server", "https://127.0.0.1:1");
        assertThat(r.exitCode()).isEqualTo(2);
    }
}
