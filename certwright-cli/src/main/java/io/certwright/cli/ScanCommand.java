package io.certwright.cli;

import io.certwright.inventory.discovery.ScanReport;
import io.certwright.inventory.discovery.TlsScanner;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `certwright scan`: certificates on TLS endpoints and in files, printed, and with `--server` sent to the
/// server's inventory.
@Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Find certificates on TLS endpoints and in files and keystores, and report each one with "
                + "its expiry, key, signature, protocol, trust and hostname match.",
            "TARGET is host:port, a host name or IP address (scanned on --ports), or a CIDR range such as "
                + "10.0.0.0/24 or 2001:db8::/120 (at most 65536 addresses each); prefix smtp:// or postgres:// "
                + "to reach TLS through STARTTLS. Every presented chain is accepted so that it can be reported, "
                + "then judged: nothing is trusted because it was scanned.",
            "With --server, the certificates found are also sent to that server's inventory (an operator token "
                + "is needed); without it nothing leaves this machine.",
            "Unreachable hosts, closed ports, non-TLS services, unreadable files and invalid targets are "
                + "reported as errors and the scan goes on; the exit code is 0 whenever the scan ran."})
final class ScanCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Mixin
    ScanOptions scan = new ScanOptions();

    @Option(names = "--no-progress", description = "No progress bar (it is shown only when stderr is a terminal).")
    boolean noProgress;

    @ArgGroup(exclusive = true)
    @Nullable Format format;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    TokenOptions tokens = new TokenOptions();

    /// The machine-readable formats; a table when neither is given.
    static final class Format {
        @Option(names = "--json", required = true, description = "Print JSON: findings with their chains, and errors.")
        boolean json;

        @Option(names = "--csv", required = true, description = "Print CSV: one row per certificate and per error.")
        boolean csv;
    }

    @Override
    public Integer call() throws Exception {
        // First, before this process makes any TLS connection: a scan never resumes a session, so the
        // scanned servers need not mint tickets for it.
        TlsScanner.withoutSessionResumption();
        Main main = Main.of(spec);
        PrintWriter err = spec.commandLine().getErr();
        ServerClient client = null;
        if (connection.server != null) {
            // Before scanning: a missing token or unreadable roots should not cost a whole scan.
            client = connection.client(main, Optional.of(tokens.require(main.environment())), Optional.empty());
        }
        boolean progress = !noProgress && ScanProgress.stderrIsTerminal();
        ScanOptions.Result result = scan.run(spec, main, err, progress);
        ScanReport report = result.report();

        PrintWriter out = spec.commandLine().getOut();
        if (format != null && format.json) {
            out.println(ScanOutput.json(report));
        } else if (format != null && format.csv) {
            out.print(ScanOutput.csv(report));
        } else {
            ScanOutput.table(out, report, main.clock().instant(), result.endpoints(), scan.files.size());
        }
        out.flush();
        if (client != null) {
            ServerClient to = client;
            return ClientCommand.handle(spec, () -> {
                InventoryUpload.print(err, to.base().toString(), InventoryUpload.send(to, report.findings()));
                return 0;
            });
        }
        return 0;
    }
}
