package io.certwright.bench;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.Csrs;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.Issuer;
import io.certwright.ca.Pem;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.registry.RevocationSelector;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import io.certwright.server.revocation.RevocationService;
import io.certwright.server.revocation.ServedCrl;
import io.certwright.store.Database;
import io.certwright.store.JdbcCertificateStore;
import io.certwright.store.JdbcCrlStore;
import io.certwright.store.StoreConfig;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// The revocation benchmark behind `certwright-bench/ocsp.sh`, two parts:
///
/// 1. **OCSP over HTTP.** A Certwright server ([BenchServer], a child process) with its plain-HTTP revocation
///    listener; one SVID issued through the API; then, alternating in one run, `GET /healthz` (the HTTP
///    stack's ceiling: routing, one tiny JSON body) and `GET /ocsp/<base64 request>` for that certificate
///    without a nonce, which the responder answers from its cache of signed `good` responses. Closed loop,
///    HTTP/1.1 keep-alive, one connection per worker ([LoadDriver]).
/// 2. **CRL regeneration.** In this process: a CA whose ledger is a SQLite store, `--crl-entries`
///    certificates issued and revoked through the store, then full CRL publications timed
///    ([RevocationService#publishNow]): streaming the revoked entries from the store, signing, and storing
///    the CRL with its compare-and-set number. Heap is measured around it.
///
/// Usage: `OcspLoad --work DIR --report FILE [--concurrency 32] [--warmup 5] [--measure 15] [--rounds 2]
/// [--crl-entries 100000] [--crl-rounds 3]`.
public final class OcspLoad {

    private static final String TRUST_DOMAIN = "bench.test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OcspLoad() {
    }

    private record Options(Path work, Path report, int concurrency, Duration warmup, Duration measure, int rounds,
            int crlEntries, int crlRounds) {

        static Options parse(String[] args) {
            Map<String, String> m = new java.util.HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                m.put(args[i], args[i + 1]);
            }
            return new Options(Path.of(m.getOrDefault("--work", "target/ocsp")),
                    Path.of(m.getOrDefault("--report", "target/ocsp-report.md")),
                    Integer.parseInt(m.getOrDefault("--concurrency", "32")),
                    Duration.ofSeconds(Long.parseLong(m.getOrDefault("--warmup", "5"))),
                    Duration.ofSeconds(Long.parseLong(m.getOrDefault("--measure", "15"))),
                    Integer.parseInt(m.getOrDefault("--rounds", "2")),
                    Integer.parseInt(m.getOrDefault("--crl-entries", "100000")),
                    Integer.parseInt(m.getOrDefault("--crl-rounds", "3")));
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        CryptoProviders.installPreferred();
        Files.createDirectories(o.work());
        StringBuilder report = new StringBuilder();
        report.append("## OCSP and CRL benchmark\n\n");
        report.append("Load average (1, 5, 15 min) before: ").append(Machine.loadAverage()).append("\n\n");
        http(o, report);
        crl(o, report);
        report.append("\nLoad average (1, 5, 15 min) after: ").append(Machine.loadAverage()).append('\n');
        Files.writeString(o.report(), report.toString(), StandardCharsets.UTF_8);
        System.out.print(report);
    }

    // ---------------------------------------------------------------- OCSP over HTTP

    private static void http(Options o, StringBuilder report) throws Exception {
        Path dir = o.work().resolve("server");
        deleteRecursively(dir);
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path ready = dir.resolve("ready");
        Path log = o.work().resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), BenchServer.class.getName(),
                dir.resolve("data").toString(), TRUST_DOMAIN, ready.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("CERTWRIGHT_"));
        pb.environment().put("CERTWRIGHT_REVOCATION_HTTP_LISTEN", "127.0.0.1:" + port);
        System.err.println("== starting the server (log: " + log + ")");
        Process server = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!Files.exists(ready)) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server did not start; see " + log);
                }
                Thread.sleep(100);
            }
            List<String> lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
            URI base = URI.create(lines.getFirst().strip());
            X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(String.join("\n", lines.subList(1, lines.size()))
                            .getBytes(StandardCharsets.US_ASCII)));
            String token = Files.readString(dir.resolve("data").resolve("secrets").resolve("admin.token")).strip();
            SSLContext tls = LoadGenerator.tls(root);
            HttpClient https = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
            KeyPair key = CryptoProviders.generate(KeyAlgorithm.P256);
            String csr = Pem.csr(Csrs.create(JcaSigningKey.of(KeyAlgorithm.P256, key.getPrivate(), key.getPublic()),
                    SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://" + TRUST_DOMAIN + "/ns/bench/sa/ocsp")),
                    Optional.empty()));
            String body = JSON.writeValueAsString(Map.of("csr", csr, "profile", "svid", "ttl", "24h"));
            HttpResponse<String> issued = https.send(HttpRequest.newBuilder(base.resolve("/api/v1/certificates"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (issued.statusCode() != 201) {
                throw new IllegalStateException("issuing the benchmark certificate failed: " + issued.body());
            }
            JsonNode answer = JSON.readTree(issued.body());
            X509Certificate leaf = Pem.readCertificates(answer.get("certificate").asString()
                    .getBytes(StandardCharsets.US_ASCII), "leaf").getFirst();
            X509Certificate intermediate = Pem.readCertificates(answer.get("chain").get(0).asString()
                    .getBytes(StandardCharsets.US_ASCII), "chain").getFirst();
            byte[] request = OcspResponderBenchmark.request(intermediate, leaf.getSerialNumber(), null);
            URI plain = URI.create("http://127.0.0.1:" + port);
            URI ocsp = plain.resolve("/ocsp/" + Base64.getUrlEncoder().withoutPadding().encodeToString(request));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            LoadDriver.Target healthz = new LoadDriver.Target("healthz", client, null, plain.resolve("/healthz"),
                    Map.of(), List.of(), 200, t -> t.contains("ok"), "GET");
            // A successful OCSPResponse starts 30 82 .. 0A 01 00; the body check only needs it non-empty here,
            // the first answer is checked fully below.
            LoadDriver.Target good = new LoadDriver.Target("ocsp-good", client, null, ocsp, Map.of(), List.of(), 200,
                    t -> !t.isEmpty(), "GET");
            HttpResponse<byte[]> first = client.send(HttpRequest.newBuilder(ocsp).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            checkGood(first);

            java.util.function.LongSupplier serverCpu = () -> server.toHandle().info().totalCpuDuration()
                    .map(Duration::toNanos).orElse(0L);
            List<LoadDriver.LevelResult> healthzRuns = new ArrayList<>();
            List<LoadDriver.LevelResult> ocspRuns = new ArrayList<>();
            for (int round = 1; round <= o.rounds(); round++) {
                System.err.println("== round " + round + ": /healthz");
                healthzRuns.add(LoadDriver.run(healthz, o.concurrency(), o.warmup(), o.measure(), w -> { },
                        serverCpu));
                System.err.println("== round " + round + ": OCSP GET (cached good)");
                ocspRuns.add(LoadDriver.run(good, o.concurrency(), o.warmup(), o.measure(), w -> { }, serverCpu));
            }
            report.append("### OCSP responses/s over HTTP/1.1 keep-alive, concurrency ").append(o.concurrency())
                    .append("\n\n").append(o.warmup().toSeconds()).append(" s warm-up and ")
                    .append(o.measure().toSeconds()).append(" s measured per run; the two targets alternate.\n\n");
            report.append("| round | target | responses/s | p50 ms | p99 ms | errors | CPU: generator | server |\n");
            report.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
            double healthzSum = 0;
            double ocspSum = 0;
            for (int i = 0; i < o.rounds(); i++) {
                row(report, i + 1, "`GET /healthz`", healthzRuns.get(i));
                row(report, i + 1, "`GET /ocsp/…` cached good", ocspRuns.get(i));
                healthzSum += healthzRuns.get(i).rate();
                ocspSum += ocspRuns.get(i).rate();
            }
            report.append(String.format(Locale.ROOT, "%nOCSP / healthz over all rounds: %,.0f / %,.0f = **%.0f %%** "
                    + "(target ≥ 60 %%)%n%n", ocspSum / o.rounds(), healthzSum / o.rounds(),
                    100 * ocspSum / healthzSum));
            report.append("Response sizes: healthz ").append(client.send(HttpRequest.newBuilder(
                    plain.resolve("/healthz")).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body().length)
                    .append(" bytes, OCSP ").append(first.body().length).append(" bytes.\n\n");
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void checkGood(HttpResponse<byte[]> r) {
        byte[] b = r.body();
        if (r.statusCode() != 200 || b.length < 10 || b[0] != 0x30) {
            throw new IllegalStateException("the OCSP answer is not a response: HTTP " + r.statusCode());
        }
        int at = (b[1] & 0x80) != 0 ? 2 + (b[1] & 0x7F) : 2;
        if (b[at] != 0x0A || b[at + 2] != 0) {
            throw new IllegalStateException("the OCSP answer is not successful");
        }
        if (r.headers().firstValue("Cache-Control").isEmpty()
                || !r.headers().firstValue("Cache-Control").get().contains("max-age")) {
            throw new IllegalStateException("the OCSP answer is not cacheable");
        }
    }

    private static void row(StringBuilder report, int round, String target, LoadDriver.LevelResult r) {
        report.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %.2f | %d | %.2f | %.2f |%n", round,
                target, r.rate(), r.millis(50), r.millis(99), r.errors(), r.clientCpu(), r.serverCpu()));
    }

    // ---------------------------------------------------------------- CRL regeneration

    private static void crl(Options o, StringBuilder report) throws Exception {
        Path dir = o.work().resolve("crl");
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        try (Database db = Database.open(StoreConfig.sqlite(dir.resolve("certwright.db")), clock)) {
            JdbcCertificateStore store = new JdbcCertificateStore(db);
            CaMaterial m = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Bench")
                    .withTrustDomain(new TrustDomain(TRUST_DOMAIN), false), clock, random, store.ledger());
            var intermediateKey = JcaSigningKey.of(KeyAlgorithm.P256, m.intermediateKey(),
                    m.intermediate().getPublicKey());
            var rootKey = JcaSigningKey.of(KeyAlgorithm.P256, m.rootKey().orElseThrow(), m.root().getPublicKey());
            CertificateAuthority ca = new CertificateAuthority(new Issuer(m.intermediate(), List.of(), intermediateKey,
                    Optional.of(new TrustDomain(TRUST_DOMAIN))), List.of(m.root()),
                    CaSettings.defaults(List.of(new TrustDomain(TRUST_DOMAIN))), store.ledger(), clock, random);

            System.err.println("== issuing " + o.crlEntries() + " certificates into SQLite");
            long t0 = System.nanoTime();
            var publicKey = CryptoProviders.generate(KeyAlgorithm.P256).getPublic();
            AtomicInteger next = new AtomicInteger();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 64; w++) {
                    workers.add(pool.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < o.crlEntries()) {
                            ca.issue(new IssuanceRequest(Profile.SVID, publicKey, Optional.empty(),
                                    SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://" + TRUST_DOMAIN
                                            + "/ns/crl/sa/w" + i)), Optional.of(Duration.ofDays(7))));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get();
                }
            }
            long issuedNanos = System.nanoTime() - t0;
            Instant now = clock.instant();
            List<io.certwright.core.SerialNumber> revoked = store.revokeAll(
                    new RevocationSelector.ByIssuerKey(KeyIdentifier.subjectKeyOf(m.intermediate())),
                    RevocationReason.KEY_COMPROMISE, now,
                    s -> AuditEvent.success("bench", "certificate.revoke", s.hex(), Map.of()));
            long revokedNanos = System.nanoTime() - t0 - issuedNanos;

            RevocationService service = RevocationService.start(new RevocationService.Settings(Duration.ofHours(24),
                    Duration.ofDays(1), Duration.ofHours(1), Duration.ofDays(7), Duration.ofMillis(250)), ca, m.root(),
                    Optional.of(rootKey), store, new JdbcCrlStore(db), clock);
            try (service) {
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                report.append("### CRL regeneration with ").append(String.format(Locale.ROOT, "%,d", revoked.size()))
                        .append(" revoked certificates (SQLite store, P-256 signer)\n\n");
                report.append(String.format(Locale.ROOT, "Set-up: %,d certificates issued through the store in %.1f s, "
                        + "revoked in bulk in %.1f s.%n%n", o.crlEntries(), issuedNanos / 1e9, revokedNanos / 1e9));
                report.append("| round | publication (read entries, sign, store) ms | CRL bytes | entries | "
                        + "allocated MiB | heap after GC, CRL held, MiB |\n|---:|---:|---:|---:|---:|---:|\n");
                for (int round = 1; round <= o.crlRounds(); round++) {
                    System.gc();
                    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                    long start = System.nanoTime();
                    Map<String, Optional<ServedCrl>> crls = service.publishNow();
                    long elapsed = System.nanoTime() - start;
                    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
                    ServedCrl crl = crls.getOrDefault(RevocationService.INTERMEDIATE, Optional.empty()).orElseThrow();
                    int entries = countEntries(crl);
                    System.gc();
                    long heap = memory.getHeapMemoryUsage().getUsed();
                    report.append(String.format(Locale.ROOT, "| %d | %,.0f | %,d | %,d | %.1f | %.1f |%n", round,
                            elapsed / 1e6, crl.der().length, entries, allocated / 1048576.0, heap / 1048576.0));
                }
                report.append("\nEach publication builds both CRLs (the root's lists no entries here). Allocation is "
                        + "what the publishing thread allocated; the database writer thread's share (one insert of "
                        + "the DER) is not in it.\n");
            }
        }
    }

    private static int countEntries(ServedCrl crl) throws Exception {
        var x = (java.security.cert.X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(crl.der()));
        var entries = x.getRevokedCertificates();
        return entries == null ? 0 : entries.size();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
