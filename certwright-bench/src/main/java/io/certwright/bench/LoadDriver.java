package io.certwright.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/// A closed-loop load: `concurrency` virtual threads each send one request, wait for its answer, and send
/// the next, each over its own HTTP/1.1 keep-alive connection ([Http1Connection], requests serialised
/// before the run). The first answer is checked through the JDK's [HttpClient] instead.
///
/// A level runs for a warm-up and then a measurement window. Only requests that complete inside the window
/// count: towards the rate if they succeed (latency recorded from just before `send` to the whole body
/// read), as errors if they do not. Requests still in flight when the window closes are discarded.
final class LoadDriver {

    /// Longest latency the histogram tracks, in nanoseconds.
    private static final long MAX_TRACKED_NANOS = Duration.ofMinutes(2).toNanos();
    /// A worker that sees this many errors in a row gives up, so a dead server ends the level quickly.
    private static final int MAX_CONSECUTIVE_ERRORS = 200;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private LoadDriver() {
    }

    /// What to load and how to tell success.
    ///
    /// @param name short name used in file names and the report
    /// @param client the client for the first, checked, request (it trusts the server's roots)
    /// @param tls the TLS context of the load's connections (trusting the server's roots); null for plain HTTP
    /// @param uri the endpoint
    /// @param headers headers sent with every request
    /// @param bodies request bodies, one per pre-generated CSR, used round-robin
    /// @param expectedStatus the status of a successful answer
    /// @param bodyOk further check of a successful answer's body
    /// @param method `POST` (each body in turn, JSON unless a `Content-Type` header says otherwise) or `GET`
    ///     (bodies ignored)
    record Target(String name, HttpClient client, @Nullable SSLContext tls, URI uri, Map<String, String> headers,
            List<byte[]> bodies, int expectedStatus, Predicate<String> bodyOk, String method) {

        Target {
            headers = Map.copyOf(headers);
            bodies = List.copyOf(bodies);
            if (!method.equals("POST") && !method.equals("GET")) {
                throw new IllegalArgumentException("POST or GET, not " + method);
            }
        }

        /// A POST target.
        Target(String name, HttpClient client, @Nullable SSLContext tls, URI uri, Map<String, String> headers,
                List<byte[]> bodies, int expectedStatus, Predicate<String> bodyOk) {
            this(name, client, tls, uri, headers, bodies, expectedStatus, bodyOk, "POST");
        }

        /// Each body as a whole HTTP/1.1 POST, or the one GET, serialised once.
        List<byte[]> wireRequests() {
            if (method.equals("GET")) {
                return List.of(Http1Connection.request("GET", uri, headers, null));
            }
            java.util.LinkedHashMap<String, String> h = new java.util.LinkedHashMap<>(headers);
            h.putIfAbsent("Content-Type", "application/json");
            return bodies.stream().map(b -> Http1Connection.request("POST", uri, h, b)).toList();
        }

        HttpRequest request(byte[] body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
            if (method.equals("GET")) {
                b.GET();
            } else {
                b.header("Content-Type", headers.getOrDefault("Content-Type", "application/json"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            }
            headers.forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Content-Type")) {
                    b.header(k, v);
                }
            });
            return b.build();
        }

        /// Sends one request with body `index` and returns the answer if it is a success, else throws.
        HttpResponse<String> once(int index) throws IOException, InterruptedException {
            byte[] body = bodies.isEmpty() ? new byte[0] : bodies.get(index);
            HttpResponse<String> r = client.send(request(body), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expectedStatus || !bodyOk.test(r.body())) {
                throw new IOException(name + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
            }
            return r;
        }
    }

    /// The outcome of one level.
    ///
    /// @param concurrency number of workers
    /// @param measuredSeconds length of the measurement window
    /// @param succeeded successful requests completed in the window
    /// @param errors failed requests completed in the window (and exceptions)
    /// @param firstError the first failure seen, if any
    /// @param latency latencies of the successful requests in the window, nanoseconds
    /// @param clientCpu CPU used by this (the generator's) process during the window, in cores
    /// @param serverCpu CPU used by the server's processes (and its database's) during the window, in cores
    /// @param machineCpu CPU used by the whole machine during the window, in cores
    record LevelResult(int concurrency, double measuredSeconds, long succeeded, long errors,
            Optional<String> firstError, Histogram latency, double clientCpu, double serverCpu, double machineCpu) {

        double rate() {
            return succeeded / measuredSeconds;
        }

        double millis(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e6;
        }

        double maxMillis() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1e6;
        }
    }

    private record WorkerResult(Histogram latency, long succeeded, long errors, Optional<String> firstError) {
    }

    /// Hook run when the measurement window opens (e.g. to start a profiler).
    @FunctionalInterface
    interface WindowHook {
        void windowOpened(Duration window);
    }

    /// Runs one level: `warmup`, then `measure`, at `concurrency` workers.
    ///
    /// @param serverCpu the CPU time used so far by the server's processes, in nanoseconds
    static LevelResult run(Target target, int concurrency, Duration warmup, Duration measure, WindowHook hook,
            LongSupplier serverCpu) throws InterruptedException {
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        AtomicLong next = new AtomicLong();
        List<Future<WorkerResult>> workers = new ArrayList<>();
        CpuSample before;
        CpuSample after;
        long serverBefore;
        long serverAfter;
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<byte[]> requests = target.wireRequests();
            for (int i = 0; i < concurrency; i++) {
                workers.add(exec.submit(() -> work(target, requests, next, windowStart, windowEnd)));
            }
            sleepUntil(windowStart);
            before = CpuSample.now();
            serverBefore = serverCpu.getAsLong();
            hook.windowOpened(measure);
            sleepUntil(windowEnd);
            after = CpuSample.now();
            serverAfter = serverCpu.getAsLong();
        }
        Histogram all = new Histogram(MAX_TRACKED_NANOS, 3);
        long ok = 0;
        long errors = 0;
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
            if (firstError.isEmpty()) {
                firstError = w.firstError();
            }
        }
        double seconds = measure.toNanos() / 1e9;
        double wall = (after.nanos() - before.nanos()) / 1e9;
        return new LevelResult(concurrency, seconds, ok, errors, firstError, all,
                (after.processCpuNanos() - before.processCpuNanos()) / 1e9 / wall,
                (serverAfter - serverBefore) / 1e9 / wall, after.machineBusyCores(before));
    }

    private static WorkerResult work(Target target, List<byte[]> requests, AtomicLong next, long windowStart,
            long windowEnd) {
        Histogram latency = new Histogram(MAX_TRACKED_NANOS, 3);
        long ok = 0;
        long errors = 0;
        int consecutiveErrors = 0;
        String firstError = null;
        int n = requests.size();
        Http1Connection connection = new Http1Connection(target.uri(), target.tls());
        try {
        while (System.nanoTime() < windowEnd && consecutiveErrors < MAX_CONSECUTIVE_ERRORS) {
            byte[] request = requests.get(Math.floorMod(next.getAndIncrement(), n));
            long t0 = System.nanoTime();
            boolean success;
            String failure = null;
            try {
                Http1Connection.Response r = connection.exchange(request);
                success = r.status() == target.expectedStatus() && target.bodyOk().test(r.text());
                if (!success) {
                    failure = "HTTP " + r.status() + ": " + abbreviate(r.text());
                }
            } catch (IOException | RuntimeException e) {
                success = false;
                failure = e.toString();
                connection.close();
            }
            long t1 = System.nanoTime();
            consecutiveErrors = success ? 0 : consecutiveErrors + 1;
            if (t1 < windowStart || t1 >= windowEnd) {
                continue;
            }
            if (success) {
                latency.recordValue(Math.min(t1 - t0, MAX_TRACKED_NANOS));
                ok++;
            } else {
                errors++;
                if (firstError == null) {
                    firstError = failure;
                }
            }
        }
        } finally {
            connection.close();
        }
        return new WorkerResult(latency, ok, errors, Optional.ofNullable(firstError));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
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
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                total = sum;
                busy = sum - idle;
            } catch (IOException | RuntimeException e) {
                // not on Linux: machine CPU reads as unknown
            }
            return new CpuSample(System.nanoTime(), process, busy, total);
        }

        /// Busy cores on average between `earlier` and this sample; NaN when unknown.
        double machineBusyCores(CpuSample earlier) {
            if (machineTotalTicks < 0 || earlier.machineTotalTicks < 0) {
                return Double.NaN;
            }
            long total = machineTotalTicks - earlier.machineTotalTicks;
            long busy = machineBusyTicks - earlier.machineBusyTicks;
            return total == 0 ? Double.NaN : (double) busy / total * Runtime.getRuntime().availableProcessors();
        }
    }
}
