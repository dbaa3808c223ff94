package io.certwright.cli;

import io.certwright.ca.Pem;
import io.certwright.inventory.discovery.FileScanner;
import io.certwright.inventory.discovery.KeystorePasswords;
import io.certwright.inventory.discovery.ScanError;
import io.certwright.inventory.discovery.ScanListener;
import io.certwright.inventory.discovery.ScanReport;
import io.certwright.inventory.discovery.ScanSettings;
import io.certwright.inventory.discovery.Targets;
import io.certwright.inventory.discovery.TlsScanner;
import io.certwright.inventory.discovery.TlsTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/// What to scan and how, shared by `certwright scan` and `certwright report`: targets, ports, target files,
/// files and keystores, the roots to judge chains against, SNI, concurrency, timeout and retries.
final class ScanOptions {

    @Parameters(paramLabel = "TARGET", arity = "0..*", description = "Endpoints, hosts or CIDR ranges to scan.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--ports", paramLabel = "PORTS", converter = PortList.class,
            description = "Ports for targets without one, e.g. 443,8443,9000-9010 (default: 443).")
    List<Integer> ports = List.of(443);

    @Option(names = "--targets-file", paramLabel = "FILE",
            description = "Read targets from FILE, one per line; # starts a comment. Repeatable.")
    List<Path> targetFiles = new ArrayList<>();

    @Option(names = "--files", paramLabel = "PATH",
            description = "Look for PEM, DER, PKCS#12 and JKS files under PATH (a file or a directory, walked "
                    + "recursively). Repeatable.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--keystore-password-file", paramLabel = "FILE",
            description = "Passwords to try on keystores, one per line, before the empty password and "
                    + "'changeit'. Repeatable.")
    List<Path> passwordFiles = new ArrayList<>();

    @Option(names = "--roots", paramLabel = "FILE",
            description = "PEM file of roots to judge chains against besides the JDK's trust store, e.g. "
                    + "Certwright's roots.pem. Repeatable.")
    List<Path> roots = new ArrayList<>();

    @Option(names = "--sni", paramLabel = "NAME",
            description = "Send NAME as SNI to every endpoint (and check certificates against it) instead of "
                    + "the target's host name.")
    @Nullable String sni;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "64",
            description = "Handshakes in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.Lifetime.class, defaultValue = "5s",
            description = "Limit for connecting and the handshake, per attempt (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofSeconds(5);

    @Option(names = "--no-retry", description = "Do not retry a target that failed (by default once).")
    boolean noRetry;

    /// Parses `--ports`.
    static final class PortList implements ITypeConverter<List<Integer>> {
        @Override
        public List<Integer> convert(String value) {
            try {
                return Targets.parsePorts(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(String.valueOf(e.getMessage()));
            }
        }
    }

    /// Whether anything was given to scan.
    boolean anything() {
        return !targets.isEmpty() || !targetFiles.isEmpty() || !files.isEmpty();
    }

    /// What one scan found, with the number of endpoints scanned.
    record Result(ScanReport report, int endpoints) {
    }

    /// Scans what the options name, drawing a progress bar on `err` when `progress` is set.
    ///
    /// @throws ParameterException for a usage error (nothing to scan, a bad concurrency or timeout)
    Result run(CommandSpec spec, Main main, PrintWriter err, boolean progress) throws Exception {
        if (!anything()) {
            throw new ParameterException(spec.commandLine(), "nothing to scan: give TARGETs, --targets-file or --files");
        }
        if (concurrency < 1 || concurrency > ScanSettings.MAX_CONCURRENCY) {
            throw new ParameterException(spec.commandLine(),
                    "--concurrency must be between 1 and " + ScanSettings.MAX_CONCURRENCY);
        }
        if (timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ParameterException(spec.commandLine(), "--timeout must be at most 10m");
        }
        Instant now = main.clock().instant();
        List<X509Certificate> extraRoots = new ArrayList<>();
        for (Path r : roots) {
            extraRoots.addAll(Pem.readCertificates(Files.readAllBytes(r), r.toString()));
        }
        KeystorePasswords passwords = KeystorePasswords.of(readPasswords());

        Targets.Parsed parsed = Targets.parse(targets, ports, now);
        List<ScanError> parseErrors = new ArrayList<>(parsed.errors());
        List<TlsTarget> endpoints = new ArrayList<>(parsed.targets());
        for (Path f : targetFiles) {
            Targets.Parsed p = Targets.parseFile(f, ports, now);
            parseErrors.addAll(p.errors());
            p.targets().stream().filter(t -> !endpoints.contains(t)).forEach(endpoints::add);
        }
        String serverName = sni;
        List<TlsTarget> scanned = serverName == null ? endpoints
                : endpoints.stream().map(t -> t.withServerName(serverName)).toList();

        ScanReport report = new ScanReport(List.of(), parseErrors, now, now);
        if (!scanned.isEmpty()) {
            ScanSettings settings = ScanSettings.defaults().withConcurrency(concurrency).withTimeout(timeout)
                    .withAttempts(noRetry ? 1 : 2).withExtraRoots(extraRoots);
            TlsScanner scanner = new TlsScanner(settings, main.clock());
            ScanProgress bar = progress ? new ScanProgress(err, scanned.size(), "endpoints") : null;
            report = report.plus(scanner.scan(scanned, bar == null ? ScanListener.NONE : bar));
            if (bar != null) {
                bar.finish();
            }
        }
        if (!files.isEmpty()) {
            report = report.plus(new FileScanner(passwords, main.clock()).scan(files, ScanListener.NONE));
        }
        return new Result(report, scanned.size());
    }

    private List<char[]> readPasswords() throws IOException {
        List<char[]> out = new ArrayList<>();
        for (Path f : passwordFiles) {
            byte[] bytes = Files.readAllBytes(f);
            try {
                for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R", -1)) {
                    if (!line.isEmpty()) {
                        out.add(line.toCharArray());
                    }
                }
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
        return out;
    }
}
