package io.certwright.bench;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.InMemoryLedger;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Issuer;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.inventory.discovery.ScanListener;
import io.certwright.inventory.discovery.ScanReport;
import io.certwright.inventory.discovery.ScanSettings;
import io.certwright.inventory.discovery.TlsScanner;
import io.certwright.inventory.discovery.TlsTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/// TLS scan benchmark: starts N TLS endpoints on loopback in this JVM, each with its own P-256 certificate
/// and listener served by virtual threads, then measures endpoints scanned per second by Certwright's
/// [TlsScanner] (in-process, full result: chain, trust against the JDK's roots and the test root, hostname)
/// and by `nmap --script +ssl-cert` over the same ports, in the same run, and reports the ratio as Markdown.
///
/// Run it with `certwright-bench/scan.sh`; the options are described there.
public final class ScanBenchmark {

    private record Options(int endpoints, int concurrency, int rounds, int nmapRounds, Duration timeout, Path report,
            String nmap) {
    }

    private final Options options;
    private final List<ServerSocket> listeners = new ArrayList<>();

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
        int concurrency = 256;
        int rounds = 3;
        int nmapRounds = 1;
        Duration timeout = Duration.ofSeconds(10);
        Path report = Path.of("scan-report.md");
        String nmap = "nmap";
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--endpoints" -> endpoints = Integer.parseInt(v);
                case "--concurrency" -> concurrency = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--nmap-rounds" -> nmapRounds = Integer.parseInt(v);
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(v));
                case "--report" -> report = Path.of(v);
                case "--nmap" -> nmap = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Options(endpoints, concurrency, rounds, nmapRounds, timeout, report, nmap);
    }

    private void run() throws Exception {
        CryptoProviders.installPreferred();
        String loadBefore = loadAverage();
        progress("issuing " + options.endpoints() + " P-256 server certificates");
        X509Certificate root = startEndpoints();
        List<Integer> ports = listeners.stream().map(ServerSocket::getLocalPort).toList();
        progress(options.endpoints() + " TLS endpoints listening on 127.0.0.1");

        List<TlsTarget> targets = ports.stream().map(p -> TlsTarget.of("127.0.0.1", p)).toList();
        TlsScanner scanner = new TlsScanner(ScanSettings.defaults().withConcurrency(options.concurrency())
                .withTimeout(options.timeout()).withExtraRoots(List.of(root)), Clock.systemUTC());
        progress("warm-up scan");
        ScanReport warm = scanner.scan(targets, ScanListener.NONE);
        progress("warm-up: " + warm.findings().size() + " certificates, " + warm.errors().size() + " errors");

        List<Double> ours = new ArrayList<>();
        int ourFound = 0;
        int ourErrors = 0;
        for (int r = 0; r < options.rounds(); r++) {
            long t0 = System.nanoTime();
            ScanReport report = scanner.scan(targets, ScanListener.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ours.add(targets.size() / seconds);
            ourFound = report.findings().size();
            ourErrors = report.errors().size();
            progress(String.format(Locale.ROOT, "certwright round %d: %.2f s, %.0f endpoints/s, %d certificates, %d errors",
                    r + 1, seconds, targets.size() / seconds, ourFound, ourErrors));
        }

        String portList = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
        List<Double> theirs = new ArrayList<>();
        int nmapFound = 0;
        for (int r = 0; r < options.nmapRounds(); r++) {
            Path out = Files.createTempFile("nmap-ssl-cert", ".txt");
            List<String> command = List.of(options.nmap(), "-Pn", "-n", "--script", "+ssl-cert", "-p", portList,
                    "-oN", out.toString(), "127.0.0.1");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("nmap took longer than 30 minutes");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            nmapFound = (int) text.lines().filter(l -> l.contains("ssl-cert: Subject:")).count();
            if (p.exitValue() != 0) {
                throw new IllegalStateException("nmap exited with " + p.exitValue());
            }
            theirs.add(ports.size() / seconds);
            progress(String.format(Locale.ROOT, "nmap round %d: %.2f s, %.0f endpoints/s, %d certificates",
                    r + 1, seconds, ports.size() / seconds, nmapFound));
        }
        String loadAfter = loadAverage();
        String report = report(ours, ourFound, ourErrors, theirs, nmapFound, loadBefore, loadAfter);
        Files.writeString(options.report(), report, StandardCharsets.UTF_8);
        System.out.print(report);
    }

    private X509Certificate startEndpoints() throws Exception {
        Clock clock = Clock.systemUTC();
        InMemoryLedger ledger = new InMemoryLedger();
        CaMaterial m = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Scan Bench"), clock, new SecureRandom(), ledger);
        Issuer issuer = new Issuer(m.intermediate(), List.of(),
                JcaSigningKey.of(KeyAlgorithm.P256, m.intermediateKey(), m.intermediate().getPublicKey()), Optional.empty());
        CertificateAuthority ca = new CertificateAuthority(issuer, List.of(m.root()), CaSettings.defaults(List.of()),
                ledger, clock, new SecureRandom());
        char[] pw = "bench".toCharArray();
        for (int i = 0; i < options.endpoints(); i++) {
            KeyPair key = CryptoProviders.generate(KeyAlgorithm.P256);
            IssuedCertificate cert = ca.issue(new IssuanceRequest(Profile.SERVER, key.getPublic(), Optional.empty(),
                    new SubjectNames(List.of("endpoint-" + i + ".bench.test"), List.of(InetAddress.getLoopbackAddress()),
                            List.of(), List.of()), Optional.of(Duration.ofDays(7))));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("endpoint", key.getPrivate(), pw, cert.fullChain().toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory()
                    .createServerSocket(0, 128, InetAddress.getLoopbackAddress());
            listeners.add(listener);
            Thread.ofVirtual().start(() -> serve(listener));
        }
        return m.root();
    }

    private static void serve(SSLServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) listener.accept();
                Thread.ofVirtual().start(() -> {
                    try (s; InputStream in = s.getInputStream()) {
                        s.setSoTimeout(60_000);
                        s.startHandshake();
                        in.read();
                    } catch (IOException | RuntimeException e) {
                        // scanners hang up after the handshake, nmap's port scan before it
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private void stop() {
        for (ServerSocket s : listeners) {
            try {
                s.close();
            } catch (IOException e) {
                // shutting down anyway
            }
        }
    }

    private String report(List<Double> ours, int ourFound, int ourErrors, List<Double> theirs, int nmapFound,
            String loadBefore, String loadAfter) throws IOException, InterruptedException {
        double ourMedian = median(ours);
        double nmapMedian = median(theirs);
        double ratio = ourMedian / nmapMedian;
        StringBuilder r = new StringBuilder();
        r.append("## TLS scan results\n\n");
        r.append(String.format(Locale.ROOT, "Machine: %d cores, %s; %s; %s.%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                nmapVersion()));
        r.append("Load average (1, 5, 15 min) before: ").append(loadBefore).append(", after: ").append(loadAfter)
                .append(". Date: ").append(Instant.now().toString(), 0, 10).append(".\n\n");
        r.append(String.format(Locale.ROOT, "%d TLS endpoints on 127.0.0.1 (JDK SSLServerSocket, one P-256 "
                + "certificate each, served on virtual threads in the benchmark JVM).%n%n", options.endpoints()));
        r.append("| scanner | endpoints/s (median) | rounds | certificates seen |\n|---|---:|---|---:|\n");
        r.append(String.format(Locale.ROOT, "| Certwright `TlsScanner`, concurrency %d | %,.0f | %s | %d of %d (%d errors) |%n",
                options.concurrency(), ourMedian, rates(ours), ourFound, options.endpoints(), ourErrors));
        r.append(String.format(Locale.ROOT, "| `nmap -Pn -n --script +ssl-cert -p <ports> 127.0.0.1` | %,.2f | %s | %d of %d |%n",
                nmapMedian, rates(theirs), nmapFound, options.endpoints()));
        r.append(String.format(Locale.ROOT, "%nRatio Certwright / nmap: **%.1f×** (target ≥ 5×: %s).%n", ratio,
                ratio >= 5 ? "**met**" : "**missed**"));
        return r.toString();
    }

    private static String rates(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%,.1f", v)).collect(Collectors.joining(", "));
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
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

    private static String loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).strip();
            List<String> f = Arrays.asList(s.split(" ", -1));
            return String.join(", ", f.subList(0, Math.min(3, f.size())));
        } catch (IOException e) {
            return "?";
        }
    }

    private static void progress(String message) {
        System.err.println("== " + message);
    }
}
