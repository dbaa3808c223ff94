package io.certwright.server.http;

import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/// The server's Prometheus metrics: issuances by profile and outcome, issuance latency, refusals by rule,
/// and the JVM's own meters.
public final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
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

    /// Counts each refusal of a policy decision by its rule.
    void refused(PolicyException e) {
        for (Refusal r : e.refusals()) {
            Counter.builder("certwright.refusals").description("Policy refusals by rule")
                    .tag("rule", r.rule().wireName()).register(registry).increment();
        }
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
