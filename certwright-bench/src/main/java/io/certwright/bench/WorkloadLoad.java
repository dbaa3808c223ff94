package io.certwright.bench;

import com.sun.management.OperatingSystemMXBean;
import io.certwright.agent.CertwrightAgent;
import io.certwright.agent.cache.CacheSnapshot;
import io.certwright.agent.cache.X509Svid;
import io.certwright.agent.node.Bundle;
import io.certwright.agent.node.NodeClientFactory;
import io.certwright.agent.node.RegistrationEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/// Workload identity benchmark: one node agent with N registered workloads (1,000 and 10,000 by default),
/// against a fresh Certwright server on SQLite for each N. Measures, in one run:
///
/// 1. the time from the agent's start (join-token attestation, empty data directory) until its cache holds
///    a valid SVID for every one of the N entries;
/// 2. the time from a trust-bundle change on the server (a new JWT-SVID signing key is published, so the
///    bundle's `spiffe_sequence` grows) until every one of the N SVIDs in the agent's cache has been
///    re-issued;
/// 3. the Workload API's `FetchX509SVID` latency for a cached SVID, over the agent's Unix socket;
///
/// and reads the server's REST issuance rate (Certwright on SQLite at concurrency 32) and the raw P-256
/// sign+verify rate from the server load benchmark's report ([LoadGenerator], run just before by
/// `workload.sh`), as the reference for the re-issue time. Writes a Markdown report.
///
/// The server is a child process ([WorkloadBenchServer]), so its CPU is counted apart from the agent's; the
/// agent runs in this process with its production HTTPS node client, timed on the way through
/// ([TimedNodeClient]). Run it with `certwright-bench/workload.sh`; the options are described there.
public final class WorkloadLoad {

    static final String TRUST_DOMAIN = LoadGenerator.TRUST_DOMAIN;
    static final String NODE = "bench";
    private static final Pattern COMMA = Pattern.compile(",");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(2);

    private final Options options;
    private final ChildProcesses children = new ChildProcesses();

    private WorkloadLoad(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("WorkloadLoad: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        // As `certwright agent` does (its command line installs ACCP first): the agent's keys and CSRs use it.
        io.certwright.ca.keys.CryptoProviders.installPreferred();
        WorkloadLoad load = new WorkloadLoad(options);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(load.children::killAll));
        boolean ok = load.run();
        System.exit(ok ? 0 : 1);
    }

    private static String keyProvider() {
        try {
            java.security.Provider p = java.security.KeyPairGenerator.getInstance("EC").getProvider();
            return p.getName() + " " + p.getVersionStr();
        } catch (java.security.NoSuchAlgorithmException e) {
            return "no provider";
        }
    }

    /// Parsed command line.
    record Options(List<Integer> counts, Path work, Path report, Optional<Path> reference, Duration refresh,
            Duration sync, int batch, int fetches, int warmupFetches, int connectFetches, int entryConcurrency) {

        static final String USAGE = """
                usage: WorkloadLoad --work DIR --report FILE [--reference LOAD_REPORT] [--counts 1000,10000]
                         [--refresh-ms 200] [--sync-ms 100] [--batch 500] [--fetches 2000]
                         [--warmup-fetches 500] [--connect-fetches 200] [--entry-concurrency 16]
                  --reference is the report of LoadGenerator --targets sqlite --levels 32""";

        static Options parse(String[] args) {
            Map<String, String> v = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].startsWith("--") && i + 1 < args.length) {
                    v.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                }
            }
            List<Integer> counts = Arrays.stream(COMMA.split(v.getOrDefault("counts", "1000,10000")))
                    .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
            if (counts.isEmpty() || counts.stream().anyMatch(n -> n < 1 || n > 1_000_000)) {
                throw new IllegalArgumentException("counts must be between 1 and 1000000");
            }
            String work = v.get("work");
            String report = v.get("report");
            if (work == null || report == null) {
                throw new IllegalArgumentException("--work and --report are required");
            }
            int batch = Integer.parseInt(v.getOrDefault("batch", "500"));
            if (batch < 1 || batch > 1000) {
                throw new IllegalArgumentException("batch must be between 1 and 1000 (the server's limit)");
            }
            return new Options(counts, Path.of(work), Path.of(report),
                    Optional.ofNullable(v.get("reference")).map(Path::of),
                    Duration.ofMillis(Long.parseLong(v.getOrDefault("refresh-ms", "200"))),
                    Duration.ofMillis(Long.parseLong(v.getOrDefault("sync-ms", "100"))), batch,
                    Integer.parseInt(v.getOrDefault("fetches", "2000")),
                    Integer.parseInt(v.getOrDefault("warmup-fetches", "500")),
                    Integer.parseInt(v.getOrDefault("connect-fetches", "200")),
                    Integer.parseInt(v.getOrDefault("entry-concurrency", "16")));
        }
    }

    /// CPU and wall clock at one instant: this process (the agent and the benchmark), the server process,
    /// and the whole machine from `/proc/stat`.
    record Sample(long nanos, long selfCpu, long serverCpu, long machineBusyTicks, long machineTotalTicks) {

        static Sample now(Process server) {
            long[] machine = machineTicks();
            return new Sample(System.nanoTime(), selfCpuNanos(),
                    server.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L),
                    machine[0], machine[1]);
        }

        /// Cores used over the interval to `later`.
        Cores coresTo(Sample later) {
            double wall = Math.max(1, later.nanos - nanos);
            long total = later.machineTotalTicks - machineTotalTicks;
            double machine = total <= 0 ? Double.NaN
                    : (double) (later.machineBusyTicks - machineBusyTicks) / total * CORES;
            return new Cores((later.selfCpu - selfCpu) / wall, (later.serverCpu - serverCpu) / wall, machine);
        }
    }

    static final int CORES = Runtime.getRuntime().availableProcessors();

    /// Cores busy on average over a phase: this process (the agent), the server process, the whole machine.
    record Cores(double agent, double server, double machine) {
    }

    /// The figures of one phase with its CPU.
    record Phase(double seconds, Cores cores) {
    }

    /// Everything measured for one N.
    record CountResult(int n, Optional<String> failure, @Nullable Phase start, double startReturnedSeconds,
            long startSignCalls, double startSignWaitSeconds, @Nullable Phase latency,
            @Nullable Histogram sameConnection, @Nullable Histogram newConnection, @Nullable Phase reissue,
            double detectionSeconds, double rotationAckSeconds, long reissueSignCalls, double reissueSignWaitSeconds,
            long reissueEntriesCalls, double reissueEntriesWaitSeconds, long sequenceBefore, long sequenceAfter,
            double entriesSetupSeconds, String signer) {

        static CountResult failed(int n, String why) {
            return new CountResult(n, Optional.of(why), null, Double.NaN, 0, Double.NaN, null, null, null, null,
                    Double.NaN, Double.NaN, 0, Double.NaN, 0, Double.NaN, 0, 0, Double.NaN, "?");
        }
    }

    /// The reference figures read from the load benchmark's report.
    record Reference(double restRate, double p50, double p99, double raw1, double rawAll, int rawThreads,
            String loadAverages) {
    }

    private boolean run() throws Exception {
        Files.createDirectories(options.work());
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverage();
        long t0 = System.nanoTime();
        Optional<Reference> reference = options.reference().flatMap(WorkloadLoad::readReference);
        List<CountResult> results = new ArrayList<>();
        for (int n : options.counts()) {
            CountResult r;
            try {
                r = measure(n);
            } catch (Exception e) {
                progress("N=" + n + " failed: " + e);
                r = CountResult.failed(n, e.toString());
            }
            results.add(r);
        }
        long elapsed = Math.round((System.nanoTime() - t0) / 1e9);
        String report = report(started, elapsed, loadBefore, Machine.loadAverage(), reference, results);
        Files.createDirectories(options.report().toAbsolutePath().getParent());
        Files.writeString(options.report(), report, StandardCharsets.UTF_8);
        progress("report written to " + options.report());
        return results.stream().allMatch(r -> r.failure().isEmpty())
                && (options.reference().isEmpty() || reference.isPresent());
    }

    // ---------------------------------------------------------------- one N

    private CountResult measure(int n) throws Exception {
        Path dir = options.work().resolve("n-" + n);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path ready = dir.resolve("ready");
        Path log = dir.resolve("server.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home")).resolve("bin").resolve("java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), WorkloadBenchServer.class.getName(),
                dir.resolve("data").toString(), TRUST_DOMAIN, ready.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("CERTWRIGHT_"));
        progress("N=" + n + ": starting the server (SQLite; log: " + log + ")");
        Process server = children.start(pb);
        Path socketDir = Files.createTempDirectory("certwright-bench-agent");
        try {
            if (!ChildProcesses.waitFor(() -> Files.exists(ready), server, START_TIMEOUT)) {
                return CountResult.failed(n, "the server did not start; see " + log);
            }
            List<String> lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
            URI base = URI.create(lines.getFirst().strip());
            X509Certificate root = parseCertificate(String.join("\n", lines.subList(1, lines.size())));
            String admin = Files.readString(dir.resolve("data").resolve("secrets").resolve("admin.token")).strip();
            HttpClient http = HttpClient.newBuilder().sslContext(LoadGenerator.tls(root))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            return withServer(n, dir, socketDir, server, base, root, admin, http, log);
        } finally {
            stop(server);
            deleteRecursively(socketDir);
        }
    }

    private CountResult withServer(int n, Path dir, Path socketDir, Process server, URI base, X509Certificate root,
            String admin, HttpClient http, Path log) throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        String parent = "spiffe://" + TRUST_DOMAIN + "/certwright/agent/" + NODE;
        String fetched = "spiffe://" + TRUST_DOMAIN + "/bench/fetched";
        progress("N=" + n + ": registering " + n + " entries (" + options.entryConcurrency() + " at a time)");
        long e0 = System.nanoTime();
        createEntries(http, base, admin, n, uid, parent, fetched);
        double entriesSeconds = (System.nanoTime() - e0) / 1e9;
        String token = match(TOKEN, post(http, base.resolve("/api/v1/agents/tokens"), admin,
                "{\"node\":\"" + NODE + "\",\"ttl\":\"1h\"}", 201), "join token");

        List<TimedNodeClient> clients = new CopyOnWriteArrayList<>();
        NodeClientFactory factory = TimedNodeClient.wrapping(WorkloadAgentClient.nodeClients(root), clients::add);
        Path socket = socketDir.resolve("agent.sock");
        var config = WorkloadAgentClient.config(base, socket, dir.resolve("agent"), token, options.refresh(),
                options.sync(), options.batch());
        String signer = firstLine(log, "signing with ").orElse("?");

        try (CertwrightAgent agent = new CertwrightAgent(config, factory)) {
            // 1. Start: from an empty data directory to N valid SVIDs in the cache.
            progress("N=" + n + ": starting the agent");
            Sample s0 = Sample.now(server);
            AtomicLong allCachedAt = new AtomicLong();
            Thread poller = Thread.ofPlatform().name("bench-cache-poller").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        if (complete(agent.cache().snapshot(), n, s -> true)) {
                            allCachedAt.set(System.nanoTime());
                            return;
                        }
                    } catch (IllegalStateException notStartedYet) {
                        // the agent's cache exists once start() has read the state
                    }
                    try {
                        Thread.sleep(POLL);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            agent.start();
            long returned = System.nanoTime();
            long deadline0 = System.nanoTime() + timeout(n).toNanos();
            // Two failed passes in a row: the server refused or is gone, and the agent is in its backoff.
            while (poller.isAlive() && System.nanoTime() < deadline0 && agent.consecutiveFailures() < 2) {
                poller.join(100);
            }
            poller.interrupt();
            Sample s1 = Sample.now(server);
            if (allCachedAt.get() == 0) {
                return CountResult.failed(n, "the agent did not hold " + n + " SVIDs within " + timeout(n).toSeconds()
                        + " s (it holds " + agent.cache().snapshot().svids().size() + "; consecutive failures "
                        + agent.consecutiveFailures() + ")");
            }
            TimedNodeClient client = clients.getLast();
            long startSignCalls = client.sign.calls.get();
            double startSignWait = client.sign.nanos.get() / 1e9;
            Phase start = new Phase((allCachedAt.get() - s0.nanos()) / 1e9, s0.coresTo(s1));
            progress(String.format(Locale.ROOT, "N=%d: all SVIDs cached after %.2f s (start() returned after %.2f s)",
                    n, start.seconds(), (returned - s0.nanos()) / 1e9));
            String problem = check(agent.cache().snapshot(), n, root);
            if (problem != null) {
                return CountResult.failed(n, "after start: " + problem);
            }

            // 2. Workload API latency for the cached SVID.
            progress("N=" + n + ": FetchX509SVID latency");
            Sample l0 = Sample.now(server);
            Histogram same;
            Histogram fresh;
            try (WorkloadApiProbe probe = new WorkloadApiProbe(socket, fetched)) {
                same = probe.sameConnection(options.warmupFetches(), options.fetches());
                fresh = probe.newConnections(Math.min(50, options.connectFetches()), options.connectFetches());
            }
            Sample l1 = Sample.now(server);
            Phase latency = new Phase((l1.nanos() - l0.nanos()) / 1e9, l0.coresTo(l1));
            progress(String.format(Locale.ROOT, "N=%d: p50 %.3f ms, p99 %.3f ms (one connection)", n,
                    same.getValueAtPercentile(50) / 1e6, same.getValueAtPercentile(99) / 1e6));

            // 3. Trust-bundle change: every SVID re-issued.
            CacheSnapshot before = agent.cache().snapshot();
            long sequenceBefore = before.bundle().map(Bundle::sequence).orElse(-1L);
            Map<String, BigInteger> oldSerials = new HashMap<>();
            before.svids().forEach((id, s) -> oldSerials.put(id, s.leaf().getSerialNumber()));
            Path rotated = dir.resolve("ready.rotated");
            progress("N=" + n + ": rotating the JWT signing key (bundle sequence " + sequenceBefore + ")");
            client.reset();
            long commanded = System.nanoTime();
            OutputStream commands = server.getOutputStream();
            commands.write("rotate-jwt\n".getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            if (!ChildProcesses.waitFor(() -> Files.exists(rotated), server, Duration.ofSeconds(30))) {
                return CountResult.failed(n, "the server did not rotate its JWT key; see " + log);
            }
            // The clock starts when the bundle has changed: publishing the key (generating it and encrypting
            // it with the CA passphrase) is the server's work before the change, not the agent's after it.
            Sample r0 = Sample.now(server);
            long acked = r0.nanos();
            long sequenceAfter = Long.parseLong(Files.readString(rotated).strip());
            if (sequenceAfter <= sequenceBefore) {
                return CountResult.failed(n, "the bundle sequence did not grow: " + sequenceBefore + " -> " + sequenceAfter);
            }
            Predicate<X509Svid> renewed = s -> s.bundleSequence() == sequenceAfter
                    && !s.leaf().getSerialNumber().equals(oldSerials.get(s.entry().id()));
            long deadline = System.nanoTime() + timeout(n).toNanos();
            long done = 0;
            while (System.nanoTime() < deadline) {
                CacheSnapshot s = agent.cache().snapshot();
                if (s.bundle().map(Bundle::sequence).orElse(-1L) == sequenceAfter && complete(s, n, renewed)) {
                    done = System.nanoTime();
                    break;
                }
                Thread.sleep(POLL);
            }
            Sample r1 = Sample.now(server);
            // The counters now, before the check below: the agent's background refreshes go on meanwhile.
            long reissueSignCalls = client.sign.calls.get();
            double reissueSignWait = client.sign.nanos.get() / 1e9;
            long reissueEntriesCalls = client.entries.calls.get();
            double reissueEntriesWait = client.entries.nanos.get() / 1e9;
            if (done == 0) {
                return CountResult.failed(n, "the agent did not re-issue all " + n + " SVIDs within "
                        + timeout(n).toSeconds() + " s of the bundle change");
            }
            problem = check(agent.cache().snapshot(), n, root);
            if (problem != null) {
                return CountResult.failed(n, "after the re-issue: " + problem);
            }
            OptionalLong seen = client.sequenceSeenAt(sequenceAfter);
            Phase reissue = new Phase((done - r0.nanos()) / 1e9, r0.coresTo(r1));
            progress(String.format(Locale.ROOT, "N=%d: all SVIDs re-issued %.2f s after the bundle change", n,
                    reissue.seconds()));
            return new CountResult(n, Optional.empty(), start, (returned - s0.nanos()) / 1e9, startSignCalls,
                    startSignWait, latency, same, fresh, reissue,
                    seen.isPresent() ? (seen.getAsLong() - acked) / 1e9 : Double.NaN, (acked - commanded) / 1e9,
                    reissueSignCalls, reissueSignWait, reissueEntriesCalls, reissueEntriesWait, sequenceBefore, sequenceAfter, entriesSeconds, signer);
        }
    }

    private static Duration timeout(int n) {
        return Duration.ofSeconds(Math.max(120, n / 50L));
    }

    /// Whether the snapshot has the N entries and, for each, an SVID valid now that passes `ok`.
    private static boolean complete(CacheSnapshot s, int n, Predicate<X509Svid> ok) {
        if (s.entries().size() != n || s.svids().size() != n) {
            return false;
        }
        Instant now = Instant.now();
        for (X509Svid svid : s.svids().values()) {
            if (!now.isBefore(svid.notAfter()) || !ok.test(svid)) {
                return false;
            }
        }
        return true;
    }

    /// A thorough check, outside the timed windows: every SVID is for its entry's SPIFFE ID, signed by the
    /// next certificate of its chain, which chains to the root; null when all is well.
    private static @Nullable String check(CacheSnapshot s, int n, X509Certificate root) {
        if (s.svids().size() != n) {
            return s.svids().size() + " SVIDs, not " + n;
        }
        for (RegistrationEntry e : s.entries()) {
            X509Svid svid = s.svids().get(e.id());
            if (svid == null) {
                return "no SVID for entry " + e.id();
            }
            try {
                List<X509Certificate> chain = svid.chain();
                var sans = svid.leaf().getSubjectAlternativeNames();
                boolean named = sans != null && sans.stream()
                        .anyMatch(san -> Integer.valueOf(6).equals(san.get(0)) && e.spiffeId().toString().equals(san.get(1)));
                if (!named) {
                    return "the SVID of entry " + e.id() + " does not name " + e.spiffeId();
                }
                for (int i = 0; i < chain.size(); i++) {
                    X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : root;
                    chain.get(i).verify(issuer.getPublicKey());
                }
            } catch (Exception ex) {
                return "the SVID of entry " + e.id() + " does not verify: " + ex.getMessage();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- server set-up

    /// N entries under the agent: N-1 that this process matches by uid but not by path (so they are
    /// signed and cached but never served to it), and one, `fetched`, that it matches.
    private void createEntries(HttpClient http, URI base, String admin, int n, int uid, String parent, String fetched)
            throws Exception {
        URI uri = base.resolve("/api/v1/entries");
        Semaphore permits = new Semaphore(options.entryConcurrency());
        List<Future<String>> results = new ArrayList<>(n);
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String body = i == n - 1
                        ? "{\"spiffe_id\":\"" + fetched + "\",\"parent_id\":\"" + parent + "\",\"selectors\":[\"unix:uid:"
                                + uid + "\"]}"
                        : "{\"spiffe_id\":\"spiffe://" + TRUST_DOMAIN + "/bench/workload-" + i + "\",\"parent_id\":\""
                                + parent + "\",\"selectors\":[\"unix:uid:" + uid + "\",\"unix:path:/nonexistent/workload-"
                                + i + "\"]}";
                permits.acquire();
                results.add(exec.submit(() -> {
                    try {
                        return post(http, uri, admin, body, 201);
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        for (Future<String> f : results) {
            match(ID, f.get(), "entry id");
        }
    }

    private static String post(HttpClient http, URI uri, String admin, String json, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IOException("POST " + uri.getPath() + " answered " + r.statusCode() + ": "
                    + LoadDriver.abbreviate(r.body()));
        }
        return r.body();
    }

    private static String match(Pattern p, String body, String what) throws IOException {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new IOException("no " + what + " in " + LoadDriver.abbreviate(body));
        }
        return m.group(1);
    }

    // ---------------------------------------------------------------- reference

    private static final Pattern REST_ROW = Pattern.compile(
            "^\\| Certwright, SQLite \\| 32 \\| ([\\d,]+) \\| ([\\d.]+) \\| ([\\d.]+) \\|", Pattern.MULTILINE);
    private static final Pattern RAW = Pattern.compile("\\*\\*([\\d,]+)/s on 1 thread, ([\\d,]+)/s on (\\d+) threads\\*\\*");
    private static final Pattern LOAD_LINE = Pattern.compile("Load average \\(1, 5, 15 min\\) before: ([^;]*?), after: ([^;]*?);");

    /// The SQLite row at concurrency 32 and the raw rates from [LoadGenerator]'s report.
    static Optional<Reference> readReference(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            progress("no reference report at " + file + ": " + e.getMessage());
            return Optional.empty();
        }
        Matcher rest = REST_ROW.matcher(text);
        Matcher raw = RAW.matcher(text);
        if (!rest.find() || !raw.find()) {
            progress("the reference report " + file + " has no SQLite row at concurrency 32 or no raw rate");
            return Optional.empty();
        }
        Matcher load = LOAD_LINE.matcher(text);
        return Optional.of(new Reference(number(rest.group(1)), Double.parseDouble(rest.group(2)),
                Double.parseDouble(rest.group(3)), number(raw.group(1)), number(raw.group(2)),
                Integer.parseInt(raw.group(3)), load.find() ? load.group(1) + " before, " + load.group(2) + " after" : "?"));
    }

    private static double number(String s) {
        return Double.parseDouble(s.replace(",", ""));
    }

    // ---------------------------------------------------------------- report

    private String report(Instant started, long elapsed, String loadBefore, String loadAfter,
            Optional<Reference> reference, List<CountResult> results) {
        StringBuilder r = new StringBuilder();
        r.append("## Workload identity results\n\n");
        r.append(String.format(Locale.ROOT, "Run %s on %d cores (%s); %s %s. The server (a child process, SQLite) and the "
                + "agent (in the benchmark's JVM, with the Workload API client) share these cores.\n", started, CORES,
                cpuModel(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version")));
        r.append(String.format(Locale.ROOT, "Load average (1, 5, 15 min) before: %s, after: %s; the workload part took %d s.\n",
                loadBefore, loadAfter, elapsed));
        r.append(String.format(Locale.ROOT, "Agent settings: refresh interval %d ms (entries and bundle re-read), wake-up "
                + "interval %d ms, batches of %d CSRs, P-256 keys and CSR signatures from %s (as `certwright agent`), "
                + "logging at INFO; X.509-SVID TTL 1 h (the server's default), so no renewal falls due during the run.\n\n",
                options.refresh().toMillis(), options.sync().toMillis(), options.batch(), keyProvider()));

        r.append("| workloads | phase | seconds | SVIDs/s | CPU: agent process | server | machine |\n");
        r.append("|---:|---|---:|---:|---:|---:|---:|\n");
        for (CountResult c : results) {
            if (c.failure().isPresent()) {
                r.append(String.format(Locale.ROOT, "| %,d | failed: %s | | | | | |\n", c.n(), c.failure().get()));
                continue;
            }
            row(r, c.n(), "start: empty data directory → all SVIDs cached", java.util.Objects.requireNonNull(c.start()), c.n());
            row(r, c.n(), "bundle change → all SVIDs re-issued", java.util.Objects.requireNonNull(c.reissue()), c.n());
        }
        r.append("\nCPU columns are in cores (of ").append(CORES).append(") averaged over the phase: the benchmark's "
                + "process (the agent, and the poll of its cache every 2 ms), the server's process, and the whole "
                + "machine (other users' builds included).\n\n");

        r.append("Where the time went (the agent's node client, timed on the way through):\n\n");
        for (CountResult c : results) {
            if (c.failure().isPresent()) {
                continue;
            }
            Phase start = java.util.Objects.requireNonNull(c.start());
            Phase re = java.util.Objects.requireNonNull(c.reissue());
            r.append(String.format(Locale.ROOT, "- **%,d workloads.** Start: %d `POST /api/v1/node/svids` calls in "
                    + "%.2f s, %.2f s of waiting for them summed over the calls (the agent keeps two batches at the "
                    + "server, making the next one's keys and CSRs meanwhile, so the waits overlap); `start()` returned "
                    + "after %.2f s (it also writes the state file). Re-issue: publishing the new JWT key took the server "
                    + "%.3f s (not counted); the agent saw the new bundle sequence (%d → %d) %.3f s after the change; "
                    + "then %d batch calls in %.2f s, %.2f s of waiting for them summed; %d entry-list reads from the "
                    + "rotation command to the end (%.2f s waiting for them). Registering the entries took %.1f s (not "
                    + "measured).\n",
                    c.n(), c.startSignCalls(), start.seconds(), c.startSignWaitSeconds(),
                    c.startReturnedSeconds(), c.rotationAckSeconds(), c.sequenceBefore(), c.sequenceAfter(),
                    c.detectionSeconds(), c.reissueSignCalls(), re.seconds() - c.detectionSeconds(),
                    c.reissueSignWaitSeconds(), c.reissueEntriesCalls(), c.reissueEntriesWaitSeconds(),
                    c.entriesSetupSeconds()));
        }

        r.append("\n### Workload API: `FetchX509SVID` for a cached SVID\n\n");
        r.append("Time from opening the stream to its first response (one SVID, 1 of the N entries matches this "
                + "process; the agent attests the caller by its Unix peer credentials and `/proc`, matches it against all "
                + "N entries, and answers from its cache), then the stream is cancelled.\n\n");
        r.append("| workloads | how | fetches | p50 ms | p99 ms | max ms | CPU: agent process | server |\n");
        r.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (CountResult c : results) {
            if (c.failure().isPresent()) {
                continue;
            }
            Histogram same = java.util.Objects.requireNonNull(c.sameConnection());
            Histogram fresh = java.util.Objects.requireNonNull(c.newConnection());
            Cores cores = java.util.Objects.requireNonNull(c.latency()).cores();
            r.append(String.format(Locale.ROOT, "| %,d | new stream on one connection | %,d | %.3f | %.3f | %.3f | %.2f | %.2f |\n",
                    c.n(), same.getTotalCount(), same.getValueAtPercentile(50) / 1e6, same.getValueAtPercentile(99) / 1e6,
                    same.getMaxValue() / 1e6, cores.agent(), cores.server()));
            r.append(String.format(Locale.ROOT, "| %,d | new connection per fetch | %,d | %.3f | %.3f | %.3f | | |\n",
                    c.n(), fresh.getTotalCount(), fresh.getValueAtPercentile(50) / 1e6,
                    fresh.getValueAtPercentile(99) / 1e6, fresh.getMaxValue() / 1e6));
        }
        r.append(String.format(Locale.ROOT, "\n%d warm-up fetches on the connection first; %d fetches measured on one "
                + "connection, then %d more, each on a new connection (after %d warm-up ones). The CPU columns cover both; "
                + "the agent's background refresh (every %d ms) runs throughout.\n\n", options.warmupFetches(),
                options.fetches(), options.connectFetches(), Math.min(50, options.connectFetches()),
                options.refresh().toMillis()));

        r.append("### Reference and target\n\n");
        if (reference.isEmpty()) {
            r.append("No reference: the load benchmark's report was missing or unreadable.\n");
            return r.toString();
        }
        Reference ref = reference.get();
        r.append(String.format(Locale.ROOT, "Server load benchmark in the same run (`LoadGenerator --targets sqlite --levels "
                + "32`, load average %s): REST issuance **%,.0f/s** at concurrency 32 on SQLite (p50 %.2f ms, p99 %.2f ms); "
                + "raw P-256 sign+verify %,.0f/s on 1 thread, %,.0f/s on %d threads.\n\n", ref.loadAverages(),
                ref.restRate(), ref.p50(), ref.p99(), ref.raw1(), ref.rawAll(), ref.rawThreads()));
        for (CountResult c : results) {
            if (c.failure().isPresent()) {
                continue;
            }
            double x = java.util.Objects.requireNonNull(c.reissue()).seconds();
            double y = c.n() / ref.restRate();
            double ratio = x / y;
            r.append(String.format(Locale.ROOT, "- Re-issue %,d: %.2f s; at the raw issuance rate of %,.0f/s that is "
                    + "%,d / %,.0f = %.2f s; ratio **%.2f**%s. Start, all %,d: %.2f s, ratio %.2f.\n", c.n(), x,
                    ref.restRate(), c.n(), ref.restRate(), y, ratio,
                    c.n() == 10_000 ? "; target ≤ 1.2: " + (ratio <= 1.2 ? "**met**" : "**missed**") : "",
                    c.n(), java.util.Objects.requireNonNull(c.start()).seconds(),
                    java.util.Objects.requireNonNull(c.start()).seconds() / y));
        }
        r.append("\nServer signer: ").append(results.stream().map(CountResult::signer).filter(s -> !s.equals("?"))
                .findFirst().orElse("?")).append(".\n");
        return r.toString();
    }

    private static void row(StringBuilder r, int n, String phase, Phase p, int svids) {
        r.append(String.format(Locale.ROOT, "| %,d | %s | %.2f | %,.0f | %.2f | %.2f | %.2f |\n", n, phase, p.seconds(),
                svids / p.seconds(), p.cores().agent(), p.cores().server(), p.cores().machine()));
    }

    // ---------------------------------------------------------------- plumbing

    private static long selfCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /// Busy and total ticks of all CPUs from the first line of `/proc/stat` (busy excludes idle and iowait).
    private static long[] machineTicks() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
            String[] f = WHITESPACE.split(lines.findFirst().orElse("").trim(), -1);
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private void stop(Process p) throws InterruptedException {
        children.stop(p, Duration.ofSeconds(15));
    }

    private static X509Certificate parseCertificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
    }

    private static Optional<String> firstLine(Path log, String marker) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(marker)).findFirst()
                    .map(l -> l.substring(l.indexOf(marker) + marker.length()).strip());
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unknown CPU";
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
}
