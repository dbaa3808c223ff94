package io.certwright.server.http;

import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Refusal;
import io.certwright.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/// The server's Prometheus metrics: issuances by profile and outcome, issuance latency, refusals by rule,
/// database connection pools, and the JVM's own meters.
public final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile Supplier<List<Database.PoolStats>> pools = List::of;
    private volatile Supplier<Database.WriteStats> writeStats = () -> new Database.WriteStats(0, 0);
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> ocspCounters =
            new java.util.concurrent.ConcurrentHashMap<>();

    public Metrics() {
        // Two processor meters break Prometheus naming rules (`promtool check metrics`): a `_count` suffix on a
        // gauge and a nanosecond unit; the rest of the processor meters stay.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("system.cpu.count")
                || id.getName().equals("process.cpu.time")));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /// Publishes the database connection pools, read from `pools` at each scrape:
    /// `certwright_db_pool_connections{pool,state=active|idle|pending}` and `certwright_db_pool_max_connections{pool}`.
    public void databasePools(Supplier<List<Database.PoolStats>> pools) {
        this.pools = pools;
        for (Database.PoolStats p : pools.get()) {
            String name = p.name();
            gauge("certwright.db.pool.connections", "Database connections by pool and state", name, "active",
                    s -> s.active());
            gauge("certwright.db.pool.connections", "Database connections by pool and state", name, "idle",
                    s -> s.idle());
            gauge("certwright.db.pool.connections", "Database connections by pool and state", name, "pending",
                    s -> s.pending());
            Gauge.builder("certwright.db.pool.max.connections", this, m -> m.pool(name).map(s -> (double) s.max())
                            .orElse(Double.NaN))
                    .description("Most connections the pool opens").tag("pool", name).register(registry);
        }
    }

    /// Publishes what the database writer has committed, read from `stats` at each scrape:
    /// `certwright_db_commits_total` (transactions, each an fsync on SQLite) and `certwright_db_writes_total`
    /// (the writes they carried; concurrent writes share a commit).
    public void databaseWrites(Supplier<Database.WriteStats> stats) {
        // Meters hold what they read weakly: this instance (kept by the server) holds the supplier.
        this.writeStats = stats;
        FunctionCounter.builder("certwright.db.commits", this, m -> m.writeStats.get().commits())
                .description("Write transactions the database writer committed").register(registry);
        FunctionCounter.builder("certwright.db.writes", this, m -> m.writeStats.get().writes())
                .description("Writes committed, several to a transaction under concurrent load").register(registry);
    }

    private void gauge(String meter, String description, String pool, String state,
            ToDoubleFunction<Database.PoolStats> value) {
        Gauge.builder(meter, this, m -> m.pool(pool).map(value::applyAsDouble).orElse(Double.NaN))
                .description(description).tag("pool", pool).tag("state", state).register(registry);
    }

    private Optional<Database.PoolStats> pool(String name) {
        return pools.get().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /// Records one issuance or renewal attempt that reached the CA.
    void issuance(String operation, String profile, String outcome, Duration elapsed) {
        Counter.builder("certwright.issuances").description("Certificates issued or refused, by profile and outcome")
                .tag("operation", operation).tag("profile", profile).tag("outcome", outcome)
                .register(registry).increment();
        Timer.builder("certwright.issuance.latency").description("Time from decoded request to recorded certificate")
                .tag("operation", operation).publishPercentileHistogram()
                .register(registry).record(elapsed);
    }

    /// Counts one OCSP answer by what it says: the certificate status (`good`, `revoked`, `unknown`) for
    /// successful answers, else the response status (`malformedRequest`, `unauthorized`, ...), as
    /// `certwright_ocsp_responses_total{status}`.
    void ocspResponse(String status) {
        ocspCounters.computeIfAbsent(status, s -> Counter.builder("certwright.ocsp.responses")
                .description("OCSP answers by certificate status or, for errors, response status")
                .tag("status", s).register(registry)).increment();
    }

    /// Publishes the state of one CA's CRL, read at each scrape (NaN while none is served):
    /// `certwright_crl_number{ca}`, `certwright_crl_age_seconds{ca}` (since thisUpdate) and
    /// `certwright_crl_next_update_seconds{ca}` (until nextUpdate; negative once overdue).
    public void crl(String ca, DoubleSupplier number, DoubleSupplier ageSeconds, DoubleSupplier nextUpdateSeconds) {
        Gauge.builder("certwright.crl.number", number, DoubleSupplier::getAsDouble).strongReference(true)
                .description("CRL number of the CRL served").tag("ca", ca).register(registry);
        Gauge.builder("certwright.crl.age.seconds", ageSeconds, DoubleSupplier::getAsDouble).strongReference(true)
                .description("Seconds since the served CRL's thisUpdate").tag("ca", ca).register(registry);
        Gauge.builder("certwright.crl.next.update.seconds", nextUpdateSeconds, DoubleSupplier::getAsDouble).strongReference(true)
                .description("Seconds until the served CRL's nextUpdate").tag("ca", ca).register(registry);
    }

    /// Counts each refusal of a policy decision by its rule.
    void refused(PolicyException e) {
        for (Refusal r : e.refusals()) {
            Counter.builder("certwright.refusals").description("Policy refusals by rule")
                    .tag("rule", r.rule().wireName()).register(registry).increment();
        }
    }

    /// The registry, for meters registered elsewhere (the inventory's).
    public MeterRegistry registry() {
        return registry;
    }

    /// The Prometheus text exposition.
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
