package io.certwright.server.inventory;

import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.alert.DeliveryLog;
import io.certwright.inventory.alert.DeliveryOutcome;
import io.certwright.inventory.alert.DeliveryRecord;
import io.certwright.inventory.status.CertificateState;
import io.certwright.inventory.status.CertificateStatus;
import io.certwright.inventory.status.InventoryStatuses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/// The inventory's Prometheus metrics, under the names the rules in `deploy/prometheus` use:
///
/// | metric | labels |
/// |---|---|
/// | `certwright_certificate_not_after_timestamp_seconds` | `fingerprint` and the configured subset of `owner`, `source`, `issuer`, `subject` |
/// | `certwright_certificates` | `status` |
/// | `certwright_certificate_renewal_overdue` (1 per overdue certificate) | `fingerprint`, `owner`, `subject` |
/// | `certwright_certificate_series_omitted` | (none) |
/// | `certwright_scan_errors_total`, `certwright_scan_last_success_timestamp_seconds`, `certwright_scan_duration_seconds` | `target_set` |
/// | `certwright_alert_deliveries_total` | `channel` (webhook, slack, email), `outcome` (delivered, failed) |
///
/// Per-certificate series are bounded: certificates that are revoked or replaced get none, and of the others
/// only the `max-series` expiring soonest do; the number left out is `certwright_certificate_series_omitted`.
final class InventoryMetrics {

    private final MeterRegistry registry;
    private final InventorySettings.MetricSettings settings;
    private final MultiGauge notAfter;
    private final MultiGauge overdue;
    private final MultiGauge byStatus;
    private final AtomicLong omitted = new AtomicLong();
    private final Map<String, ScanGauges> scans = new ConcurrentHashMap<>();

    InventoryMetrics(MeterRegistry registry, InventorySettings.MetricSettings settings) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.notAfter = MultiGauge.builder("certwright.certificate.not.after.timestamp.seconds")
                .description("When each certificate in use expires, in Unix seconds").register(registry);
        this.overdue = MultiGauge.builder("certwright.certificate.renewal.overdue")
                .description("1 for each certificate Certwright issued that is past its renewal point and was not "
                        + "renewed").register(registry);
        this.byStatus = MultiGauge.builder("certwright.certificates")
                .description("Certificates in the inventory by status").register(registry);
        Gauge.builder("certwright.certificate.series.omitted", omitted, AtomicLong::get)
                .description("Certificates left without a not_after series because of inventory.metrics.max-series")
                .register(registry);
    }

    /// Replaces the certificate series with those of `snapshot`.
    void update(InventoryStatuses.Snapshot snapshot) {
        List<CertificateState> inUse = new ArrayList<>();
        List<MultiGauge.Row<?>> overdueRows = new ArrayList<>();
        for (CertificateState s : snapshot.states()) {
            if (s.status().settled()) {
                continue;
            }
            inUse.add(s);
            if (s.status() == CertificateStatus.RENEWAL_OVERDUE) {
                InventoryEntry e = s.entry();
                overdueRows.add(MultiGauge.Row.of(Tags.of("fingerprint", e.fingerprint().hex(), "owner", owner(e),
                        "subject", e.facts().commonNameOrSubject()), 1));
            }
        }
        inUse.sort(Comparator.comparing((CertificateState s) -> s.entry().facts().notAfter())
                .thenComparing(s -> s.entry().fingerprint()));
        int kept = Math.min(inUse.size(), settings.maxSeries());
        List<MultiGauge.Row<?>> rows = new ArrayList<>(kept);
        for (CertificateState s : inUse.subList(0, kept)) {
            rows.add(MultiGauge.Row.of(tags(s.entry()), s.entry().facts().notAfter().getEpochSecond()));
        }
        omitted.set(inUse.size() - kept);
        notAfter.register(rows, true);
        overdue.register(overdueRows, true);
        List<MultiGauge.Row<?>> counts = new ArrayList<>();
        for (CertificateStatus status : CertificateStatus.values()) {
            counts.add(MultiGauge.Row.of(Tags.of("status", status.wireName()),
                    snapshot.counts().getOrDefault(status, 0L)));
        }
        byStatus.register(counts, true);
    }

    /// Removes every certificate series: this replica no longer runs the status job.
    void clearCertificates() {
        notAfter.register(List.of(), true);
        overdue.register(List.of(), true);
        byStatus.register(List.of(), true);
        omitted.set(0);
    }

    private Tags tags(InventoryEntry e) {
        Tags tags = Tags.of("fingerprint", e.fingerprint().hex());
        for (String label : settings.labels()) {
            tags = tags.and(label, switch (label) {
                case "owner" -> owner(e);
                case "source" -> e.issuedByUs() ? "issued" : "discovered";
                case "issuer" -> commonName(e.facts().issuer());
                case "subject" -> e.facts().commonNameOrSubject();
                default -> throw new IllegalStateException("unknown label " + label);
            });
        }
        return tags;
    }

    private static String owner(InventoryEntry e) {
        return e.ownership().owner().orElse("");
    }

    /// The CN of a distinguished name, else the whole name.
    static String commonName(String dn) {
        try {
            List<Rdn> rdns = new LdapName(dn).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
        } catch (InvalidNameException | RuntimeException e) {
            // Not an RFC 2253 name: the whole text is the best label.
        }
        return dn;
    }

    /// Records one finished scan of a target set: its errors, its duration, and, when it succeeded, its end.
    void scanFinished(String targetSet, int errors, boolean success, Instant finished, Duration took) {
        ScanGauges g = scans.computeIfAbsent(targetSet, t -> scanGauges(t, finished.minus(took)));
        g.errors.increment(errors);
        g.duration.set(took.toMillis());
        if (success) {
            g.lastSuccess.set(finished.getEpochSecond());
        }
    }

    // The last-success gauge starts at the first scan's start, so a target set that never succeeds goes stale.
    private ScanGauges scanGauges(String targetSet, Instant firstStart) {
        Counter errors = Counter.builder("certwright.scan.errors")
                .description("Targets of scheduled scans that yielded no certificate, by target set")
                .tag("target_set", targetSet).register(registry);
        AtomicLong lastSuccess = new AtomicLong(firstStart.getEpochSecond());
        Gauge.builder("certwright.scan.last.success.timestamp.seconds", lastSuccess, a -> (double) a.get())
                .description("When the last successful scheduled scan of the target set finished, in Unix seconds")
                .tag("target_set", targetSet).register(registry);
        AtomicLong duration = new AtomicLong();
        Gauge.builder("certwright.scan.duration.seconds", duration, a -> a.get() / 1000.0)
                .description("How long the last scheduled scan of the target set took")
                .tag("target_set", targetSet).register(registry);
        return new ScanGauges(errors, lastSuccess, duration);
    }

    private record ScanGauges(Counter errors, AtomicLong lastSuccess, AtomicLong duration) {
    }

    /// Starts `certwright_alert_deliveries_total` at 0 for each channel type and outcome, so the first failure
    /// is an increase Prometheus sees.
    void channelTypes(List<String> types) {
        for (String type : types) {
            for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
                deliveries(type, outcome.wireName());
            }
        }
    }

    private Counter deliveries(String channel, String outcome) {
        return Counter.builder("certwright.alert.deliveries").description("Alert deliveries by channel type and outcome")
                .tag("channel", channel).tag("outcome", outcome).register(registry);
    }

    /// `log`, also counting each appended record in `certwright_alert_deliveries_total{channel,outcome}`.
    DeliveryLog counting(DeliveryLog log) {
        return new DeliveryLog() {
            @Override
            public void append(DeliveryRecord record) {
                log.append(record);
                deliveries(record.channelType(), record.outcome().wireName()).increment();
            }

            @Override
            public List<DeliveryRecord> recent(int limit) {
                return log.recent(limit);
            }
        };
    }
}
