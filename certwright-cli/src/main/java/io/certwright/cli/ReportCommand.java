package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import io.certwright.inventory.Findings;
import io.certwright.inventory.InMemoryInventoryStore;
import io.certwright.inventory.Inventory;
import io.certwright.inventory.OwnershipRules;
import io.certwright.inventory.report.ComplianceReporter;
import io.certwright.inventory.report.ReportFormat;
import io.certwright.inventory.report.ReportPolicy;
import io.certwright.inventory.status.InventoryStatuses;
import io.certwright.inventory.status.RenewalPolicy;
import io.certwright.inventory.status.ThresholdPolicy;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/// `certwright report`: the compliance report, over a server's inventory (`--server`) or over what a scan
/// finds right now.
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Write the compliance report: expired and expiring certificates, weak keys, SHA-1 signatures, "
                + "lifetimes longer than policy, wildcards, self-signed certificates in use, untrusted or incomplete "
                + "chains, hostname mismatches, keys reused across services and the blast radius of each CA key.",
            "With --server the report covers that server's whole inventory (an auditor token is needed). Without "
                + "it, give what to scan, as for 'certwright scan': the report then covers what this scan finds."})
final class ReportCommand extends ClientCommand {

    @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class, defaultValue = "json",
            description = "json, csv or html (default: ${DEFAULT-VALUE}).")
    ReportFormat format = ReportFormat.JSON;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    @Nullable Path out;

    @Mixin
    ScanOptions scan = new ScanOptions();

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    TokenOptions tokens = new TokenOptions();

    /// Parses `--format`.
    static final class FormatConverter implements ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            try {
                return ReportFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(String.valueOf(e.getMessage()));
            }
        }
    }

    @Override
    int run(Main main) throws Exception {
        String report;
        if (connection.server != null) {
            if (scan.anything()) {
                throw new ParameterException(spec.commandLine(), "give either --server or something to scan, not both");
            }
            ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())),
                    Optional.empty());
            Map<String, Optional<String>> q = new LinkedHashMap<>();
            q.put("format", Optional.of(format.wireName()));
            report = client.getText(ServerClient.query("/api/v1/inventory/report", q));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            ScanOptions.Result result = scan.run(spec, main, err, ScanProgress.stderrIsTerminal());
            Inventory inventory = new Inventory(new InMemoryInventoryStore(), OwnershipRules.none(), main.clock());
            Findings.record(inventory, result.report());
            InventoryStatuses.Snapshot snapshot = new InventoryStatuses(ThresholdPolicy.standard(),
                    RenewalPolicy.defaults()).compute(inventory.entries(), main.clock().instant());
            report = format.write(new ComplianceReporter(ReportPolicy.defaults()).build(snapshot));
            if (!result.report().errors().isEmpty()) {
                err.println(result.report().errors().size() + " targets yielded no certificate (see 'certwright scan')");
                err.flush();
            }
        }
        if (out != null) {
            AtomicFiles.write(out, report.getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
        } else {
            PrintWriter w = spec.commandLine().getOut();
            w.print(report.endsWith("\n") ? report : report + "\n");
            w.flush();
        }
        return 0;
    }
}
