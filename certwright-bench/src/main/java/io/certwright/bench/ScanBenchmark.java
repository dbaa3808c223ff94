package io.certwright.bench;

import com.sun.management.OperatingSystemMXBean;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.inventory.discovery.Finding;
import io.certwright.inventory.discovery.ScanListener;
import io.certwright.inventory.discovery.ScanReport;
import io.certwright.inventory.discovery.ScanSettings;
import io.certwright.inventory.discovery.TlsScanner;
import io.certwright.inventory.discovery.TlsTarget;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/// TLS scan benchmark: starts N TLS endpoints on loopback in a child JVM ([ScanTargets]), then measures
/// endpoints scanned per second by Certwright's [TlsScanner] (in this JVM, full result: chain, trust against
/// the JDK's roots and the endpoints' root, hostname) and by `nmap --script +ssl-cert` over the same ports, in
/// the same run, with the CPU time each client process and the endpoints' process used, and reports the ratio
/// as Markdown.
///
/// Run it with `certwright-bench/scan.sh`; the options are described there.
public final class ScanBenchmark {

    private record Options(int endpoints, List<Integer> concurrency, int warmup, int rounds, int nmapRounds,
            Duration timeout, Path report, String nmap) {
    }

    /// One timed scan: wall time, CPU seconds of the client process and of the endpoints' process, busy cores
    /// of the whole machine, and what the client saw.
    private record Round(double seconds, double clientCpu, double targetsCpu, double machineCores, int found,
            int trusted, int errors, long connections, long handshakes) {

        double rate(int endpoints) {
            return endpoints / seconds;
        }
    }

    /// The rounds of one client configuration.
    private record Series(String label, List<Round> rounds) {

        Round median() {
            List<Round> sorted = rounds.stream().sorted((a, b) -> Double.compare(a.seconds(), b.seconds())).toList();
            return sorted.get(sorted.size() / 2);
        }

        String rates(int endpoints) {
            return rounds.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r.rate(endpoints)))
                    .collect(Collectors.joining(", "));
        }
    }

    private final Options options;
    private @Nullable Process targetsProcess;
    private @Nullable BufferedReader targetsOut;

    private ScanBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        ScanBenchmark bench = new ScanBenchmark(parse(args));
        try {
            bench.run();
        } finally {
            bench.stop();
        }
        System.exit(0);
    }

    private static Options parse(String[] args) {
        int endpoints = 2000;
        List<Integer> concurrency = List.of(256);
        int warmup = 2;
        int rounds = 3;
        int nmapRounds = 1;
        Duration timeout = Duration.ofSeconds(10);
        Path report = Path.of("scan-report.md");
        String nmap = "nmap";
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--endpoints" -> endpoints = Integer.parseInt(v);
                case "--concurrency" -> concurrency = Arrays.stream(v.split(",", -1)).map(String::strip)
                        .map(Integer::parseInt).toList();
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--nmap-rounds" -> nmapRounds = Integer.parseInt(v);
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(v));
                case "--report" -> report = Path.of(v);
                case "--nmap" -> nmap = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (concurrency.isEmpty() || rounds < 1 || nmapRounds < 1) {
            throw new IllegalArgumentException("need at least one concurrency level, one round and one nmap round");
        }
        return new Options(endpoints, concurrency, warmup, rounds, nmapRounds, timeout, report, nmap);
    }

    private void run() throws Exception {
        // As `certwright scan` does: no TLS 1.3 session tickets asked of the endpoints.
        TlsScanner.withoutSessionResumption();
        CryptoProviders.installPreferred();
        String loadBefore = Machine.loadAverage();
        progress("starting " + options.endpoints() + " TLS endpoints in a child JVM (issuing their certificates)");
        Process targets = startTargets();
        X509Certificate root = null;
        List<Integer> ports = List.of();
        BufferedReader lines = new BufferedReader(new InputStreamReader(targets.getInputStream(), StandardCharsets.US_ASCII));
        targetsOut = lines;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("root ")) {
                root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(line.substring(5))));
            } else if (line.startsWith("ready ")) {
                ports = Arrays.stream(line.substring(6).split(",", -1)).map(Integer::parseInt).toList();
                break;
            }
        }
        if (root == null || ports.size() != options.endpoints()) {
            throw new IllegalStateException("the endpoints' process did not start (exit status "
                    + (targets.isAlive() ? "none, still running" : targets.exitValue()) + ")");
        }
        progress(ports.size() + " TLS endpoints listening on 127.0.0.1 in process " + targets.pid());
        List<TlsTarget> scanTargets = ports.stream().map(p -> TlsTarget.of("127.0.0.1", p)).toList();

        List<X509Certificate> roots = List.of(root);
        List<ScanSettings> levels = options.concurrency().stream().map(c -> ScanSettings.defaults().withConcurrency(c)
                .withTimeout(options.timeout()).withExtraRoots(roots)).toList();
        for (ScanSettings settings : levels) {
            for (int w = 0; w < options.warmup(); w++) {
                Round warm = scanOnce(settings, scanTargets);
                progress(String.format(Locale.ROOT, "certwright c=%d warm-up %d: %.2f s, %d certificates, %d errors",
                        settings.concurrency(), w + 1, warm.seconds(), warm.found(), warm.errors()));
            }
        }
        String portList = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
        Round nmapWarm = nmapOnce(portList);
        progress(String.format(Locale.ROOT, "nmap warm-up: %.2f s, %d certificates", nmapWarm.seconds(), nmapWarm.found()));

        // Measured rounds interleave the scanners, so that a change in the machine's background load during the
        // run falls on both.
        List<List<Round>> ourRounds = new ArrayList<>();
        levels.forEach(l -> ourRounds.add(new ArrayList<>()));
        List<Round> nmapRounds = new ArrayList<>();
        for (int r = 0; r < Math.max(options.rounds(), options.nmapRounds()); r++) {
            for (int i = 0; i < levels.size() && r < options.rounds(); i++) {
                Round round = scanOnce(levels.get(i), scanTargets);
                ourRounds.get(i).add(round);
                progress(String.format(Locale.ROOT, "certwright c=%d round %d: %.2f s, %.0f endpoints/s, client CPU %.2f s, "
                        + "endpoints CPU %.2f s, %d connections and %d handshakes served, %d certificates (%d trusted), "
                        + "%d errors", levels.get(i).concurrency(), r + 1, round.seconds(), round.rate(ports.size()),
                        round.clientCpu(), round.targetsCpu(), round.connections(), round.handshakes(), round.found(),
                        round.trusted(), round.errors()));
            }
            if (r < options.nmapRounds()) {
                Round round = nmapOnce(portList);
                nmapRounds.add(round);
                progress(String.format(Locale.ROOT, "nmap round %d: %.2f s, %.0f endpoints/s, client CPU %.2f s, "
                        + "endpoints CPU %.2f s, %d connections and %d handshakes served, %d certificates", r + 1,
                        round.seconds(), round.rate(ports.size()), round.clientCpu(), round.targetsCpu(),
                        round.connections(), round.handshakes(), round.found()));
            }
        }
        List<Series> ours = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            ours.add(new Series("Certwright `TlsScanner`, concurrency " + levels.get(i).concurrency(), ourRounds.get(i)));
        }
        Series nmap = new Series("`nmap -Pn -n --script +ssl-cert -p <ports> 127.0.0.1`", nmapRounds);
        String loadAfter = Machine.loadAverage();
        String report = report(ours, nmap, loadBefore, loadAfter);
        Files.writeString(options.report(), report, StandardCharsets.UTF_8);
        System.out.print(report);
    }

    private Process startTargets() throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                ScanTargets.class.getName(), String.valueOf(options.endpoints()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        targetsProcess = p;
        return p;
    }

    /// One scan by a scanner made for it, as one `certwright scan` run would: the scanner's construction
    /// (trust stores, TLS context) is timed too.
    private Round scanOnce(ScanSettings settings, List<TlsTarget> targets) throws Exception {
        long[] served = served();
        Sample before = Sample.now(targets());
        TlsScanner scanner = new TlsScanner(settings, Clock.systemUTC());
        ScanReport report = scanner.scan(targets, ScanListener.NONE);
        Sample after = Sample.now(targets());
        long[] servedAfter = served();
        int trusted = (int) report.findings().stream().map(Finding::tls)
                .filter(t -> t.isPresent() && t.get().extraRoots().trusted()).count();
        return after.since(before, report.findings().size(), trusted, report.errors().size(),
                servedAfter[0] - served[0], servedAfter[1] - served[1]);
    }

    /// Connections accepted and handshakes completed so far by the endpoints' process.
    private long[] served() throws IOException {
        Process p = targets();
        BufferedReader in = targetsOut;
        if (in == null) {
            throw new IllegalStateException("the endpoints' process is not running");
        }
        p.getOutputStream().write("count\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("count ")) {
                String[] f = line.split(" ", -1);
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        }
        throw new IllegalStateException("the endpoints' process ended");
    }

    private Round nmapOnce(String portList) throws Exception {
        Path out = Files.createTempFile("nmap-ssl-cert", ".txt");
        List<String> command = List.of(options.nmap(), "-Pn", "-n", "--script", "+ssl-cert", "-p", portList,
                "-oN", out.toString(), "127.0.0.1");
        long[] served = served();
        Sample before = Sample.now(targets());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("nmap took longer than 30 minutes");
        }
        Sample after = Sample.now(targets());
        long[] servedAfter = served();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("nmap exited with " + p.exitValue());
        }
        int found = (int) text.lines().filter(l -> l.contains("ssl-cert: Subject:")).count();
        // nmap's own CPU time is charged to this process's reaped children once the JVM has waited for it.
        Round own = after.since(before, found, -1, options.endpoints() - found, servedAfter[0] - served[0],
                servedAfter[1] - served[1]);
        return new Round(own.seconds(), after.childrenCpu() - before.childrenCpu(), own.targetsCpu(), own.machineCores(),
                found, -1, own.errors(), own.connections(), own.handshakes());
    }

    private Process targets() {
        Process p = targetsProcess;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("the endpoints' process is not running");
        }
        return p;
    }

    private void stop() {
        Process p = targetsProcess;
        if (p != null) {
            try {
                p.getOutputStream().close();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /// CPU counters at one instant: this process's CPU time, the CPU time of its reaped children (from
    /// `/proc/self/stat`), the endpoints' process's CPU time, and the machine's busy time from `/proc/stat`.
    private record Sample(long nanos, double processCpu, double childrenCpu, double targetsCpu, long machineBusyTicks,
            long machineTotalTicks) {

        /// Clock ticks per second of `/proc` times; 100 on every Linux configuration in use.
        private static final double TICKS = 100;

        static Sample now(Process targets) {
            double process = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                    ? os.getProcessCpuTime() / 1e9 : Double.NaN;
            double targetsCpu = targets.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
            double children = Double.NaN;
            long busy = -1;
            long total = -1;
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
                // Fields after the command name (which is in parentheses): state is field 3, cutime 16, cstime 17.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ", -1);
                children = (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS;
                String line = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).getFirst();
                String[] m = line.trim().split("\\s+", -1);
                long sum = 0;
                for (int i = 1; i < m.length && i <= 8; i++) {
                    sum += Long.parseLong(m[i]);
                }
                total = sum;
                busy = sum - Long.parseLong(m[4]) - Long.parseLong(m[5]);
            } catch (IOException | RuntimeException e) {
                // not on Linux: children's and machine CPU read as unknown
            }
            return new Sample(System.nanoTime(), process, children, targetsCpu, busy, total);
        }

        Round since(Sample before, int found, int trusted, int errors, long connections, long handshakes) {
            double seconds = (nanos - before.nanos) / 1e9;
            double machine = machineTotalTicks < 0 || before.machineTotalTicks < 0
                    || machineTotalTicks == before.machineTotalTicks ? Double.NaN
                    : (double) (machineBusyTicks - before.machineBusyTicks) / (machineTotalTicks - before.machineTotalTicks)
                            * Runtime.getRuntime().availableProcessors();
            return new Round(seconds, processCpu - before.processCpu, targetsCpu - before.targetsCpu, machine, found,
                    trusted, errors, connections, handshakes);
        }
    }

    private String report(List<Series> ours, Series nmap, String loadBefore, String loadAfter)
            throws IOException, InterruptedException {
        int n = options.endpoints();
        Series headline = ours.getFirst();
        double ratio = headline.median().rate(n) / nmap.median().rate(n);
        StringBuilder r = new StringBuilder();
        r.append("## TLS scan results\n\n");
        r.append(String.format(Locale.ROOT, "Machine: %d cores, %s; %s; %s.%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                nmapVersion()));
        r.append("Load average (1, 5, 15 min) before: ").append(loadBefore).append(", after: ").append(loadAfter)
                .append(". Date: ").append(Instant.now().toString(), 0, 10).append(".\n\n");
        r.append(String.format(Locale.ROOT, "%,d TLS endpoints on 127.0.0.1 in a separate JVM (JDK SSLServerSocket, one "
                + "P-256 certificate each from one intermediate, served on virtual threads). Certwright: a new scanner "
                + "per round, %d s timeout, %s per concurrency level; nmap: one warm-up round. Then %s of each "
                + "Certwright level and %d of nmap, interleaved.%n%n", n, options.timeout().toSeconds(),
                count(options.warmup(), "warm-up round"), count(options.rounds(), "measured round"),
                options.nmapRounds()));
        r.append("| scanner | endpoints/s (median) | rounds | CPU ms per endpoint: client | endpoints | "
                + "connections / handshakes served | machine busy cores | certificates seen |\n"
                + "|---|---:|---|---:|---:|---:|---:|---|\n");
        for (Series s : ours) {
            row(r, s, n, m -> String.format(Locale.ROOT, "%,d of %,d (%,d trusted by the endpoints' root, %d errors)",
                    m.found(), n, m.trusted(), m.errors()));
        }
        row(r, nmap, n, m -> String.format(Locale.ROOT, "%,d of %,d", m.found(), n));
        r.append(String.format(Locale.ROOT, "%nCPU and connection columns are for the median round. CPU per endpoint: "
                + "the client process's CPU time (the benchmark JVM, or nmap's process) and the endpoints' JVM's, "
                + "divided by the %,d endpoints. Machine busy cores: the whole machine on average over the round, of "
                + "%d; what the two processes do not account for is the kernel's loopback work not charged to a "
                + "process, and other users.%n", n, Runtime.getRuntime().availableProcessors()));
        r.append(String.format(Locale.ROOT, "%nRatio Certwright (concurrency %d) / nmap: %,.0f / %,.0f = **%.1f×** "
                + "(target ≥ 5×: %s). Client CPU per endpoint, nmap / Certwright: %.2f / %.2f ms = %.1f×.%n",
                options.concurrency().getFirst(), headline.median().rate(n), nmap.median().rate(n), ratio,
                ratio >= 5 ? "**met**" : "**missed**", nmap.median().clientCpu() * 1000 / n,
                headline.median().clientCpu() * 1000 / n, nmap.median().clientCpu() / headline.median().clientCpu()));
        return r.toString();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static void row(StringBuilder r, Series s, int n, Function<Round, String> seen) {
        Round m = s.median();
        r.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %.2f | %.2f | %,d / %,d | %.2f | %s |%n", s.label(),
                m.rate(n), s.rates(n), m.clientCpu() * 1000 / n, m.targetsCpu() * 1000 / n, m.connections(),
                m.handshakes(), m.machineCores(), seen.apply(m)));
    }

    private String nmapVersion() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(options.nmap(), "--version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text.lines().findFirst().orElse("nmap").replace(" ( https://nmap.org )", "").strip();
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static void progress(String message) {
        System.err.println("== " + message);
    }
}
