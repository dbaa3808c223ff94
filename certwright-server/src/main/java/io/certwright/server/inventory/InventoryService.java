package io.certwright.server.inventory;

import io.certwright.inventory.Findings;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.IngestResult;
import io.certwright.inventory.Inventory;
import io.certwright.inventory.InventoryStore;
import io.certwright.inventory.Place;
import io.certwright.inventory.TlsFacts;
import io.certwright.inventory.alert.AlertChannel;
import io.certwright.inventory.alert.AlertRouting;
import io.certwright.inventory.alert.AlertStateStore;
import io.certwright.inventory.alert.Alerter;
import io.certwright.inventory.alert.Deliverer;
import io.certwright.inventory.alert.DeliveryLog;
import io.certwright.inventory.alert.DeliveryRecord;
import io.certwright.inventory.alert.EmailChannel;
import io.certwright.inventory.alert.RetryPolicy;
import io.certwright.inventory.alert.Silence;
import io.certwright.inventory.alert.SilenceStore;
import io.certwright.inventory.alert.SlackChannel;
import io.certwright.inventory.alert.Sleeper;
import io.certwright.inventory.alert.SmtpSettings;
import io.certwright.inventory.alert.WebhookChannel;
import io.certwright.inventory.discovery.FileScanner;
import io.certwright.inventory.discovery.KeystorePasswords;
import io.certwright.inventory.discovery.ScanListener;
import io.certwright.inventory.discovery.ScanReport;
import io.certwright.inventory.discovery.ScanSettings;
import io.certwright.inventory.discovery.Targets;
import io.certwright.inventory.discovery.TlsScanner;
import io.certwright.inventory.report.ComplianceReporter;
import io.certwright.inventory.report.ReportFormat;
import io.certwright.inventory.report.ReportPolicy;
import io.certwright.inventory.status.CertificateState;
import io.certwright.inventory.status.CertificateStatus;
import io.certwright.inventory.status.InventoryStatuses;
import io.certwright.inventory.status.RenewalPolicy;
import io.certwright.inventory.status.ThresholdPolicy;
import io.certwright.store.Database;
import io.certwright.store.JdbcCertificateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The inventory as the server runs it: the [Inventory] over its stores, statuses computed on demand for the
/// API and periodically for metrics and alerts, and three periodic jobs:
///
/// | job | every | does |
/// |---|---|---|
/// | `inventory-sync` | `inventory.sync-interval` (5 s) | copies certificates the CA signed or revoked into the inventory ([IssuedSync]) |
/// | `inventory-scan` | `inventory.scan.interval` (1 h) | scans the configured endpoints and files and records what it finds |
/// | `inventory-alerts` | `alerting.interval` (1 min) | computes every status, refreshes the certificate metrics, sends due alerts |
///
/// Each job runs only on the replica holding its database job lock ([Database#tryJobLock]); the others try
/// again at each interval and take over when the holder goes away. On SQLite there is one process and it
/// always holds them.
public final class InventoryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryService.class);
    /// A computed status snapshot is reused for requests while the clock has moved less than this and nothing
    /// was written through this replica.
    static final Duration SNAPSHOT_REUSE = Duration.ofSeconds(2);
    /// Delivery records kept by the in-memory delivery log.
    public static final int DELIVERY_LOG_CAPACITY = 10_000;
    static final String SYNC_JOB = "inventory-sync";
    static final String SCAN_JOB = "inventory-scan";
    static final String ALERT_JOB = "inventory-alerts";
    /// Target set label of the scheduled TLS scans.
    public static final String TLS_TARGET_SET = "tls";
    /// Target set label of the scheduled file scans.
    public static final String FILES_TARGET_SET = "files";

    /// The storage the inventory and the alerter use.
    ///
    /// @param inventory the certificates and where they were seen
    /// @param alertState which alerts went out (deduplication across restarts and replicas)
    /// @param silences silences of certificates and owners
    /// @param deliveries the delivery log
    public record Stores(InventoryStore inventory, AlertStateStore alertState, SilenceStore silences,
            DeliveryLog deliveries) {
        public Stores {
            Objects.requireNonNull(inventory, "inventory");
            Objects.requireNonNull(alertState, "alertState");
            Objects.requireNonNull(silences, "silences");
            Objects.requireNonNull(deliveries, "deliveries");
        }
    }

    /// Claims a periodic job for this replica; [Database#tryJobLock] in the server.
    @FunctionalInterface
    public interface JobLocks {
        /// The claim, or empty when another replica holds it.
        Optional<Database.JobLock> tryLock(String job) throws Exception;
    }

    private final Stores stores;
    private final InventorySettings settings;
    private final Inventory inventory;
    private final InventoryStatuses statuses;
    private final Alerter alerter;
    private final List<AlertChannel> channels;
    private final InventoryMetrics metrics;
    private final IssuedSync sync;
    private final List<X509Certificate> roots;
    private final JobLocks locks;
    private final Clock clock;
    private final AtomicLong writes = new AtomicLong();
    private final Object scanLock = new Object();
    private final Object alertLock = new Object();
    private final Map<String, Database.JobLock> held = new HashMap<>();
    private @Nullable Cached cached;
    private @Nullable ScheduledExecutorService scheduler;

    /// The inventory service; nothing runs until [#start()].
    ///
    /// @param stores the stores
    /// @param settings `inventory.*` and `alerting.*`
    /// @param ledger the CA's certificate store, followed into the inventory
    /// @param issuingChain the CA's current issuing chain (intermediate first), stored with issued certificates
    /// @param roots roots scans judge chains against besides the JDK's (the CA's roots)
    /// @param locks job locks
    /// @param registry where metrics go
    /// @param clock the time
    public InventoryService(Stores stores, InventorySettings settings, JdbcCertificateStore ledger,
            Supplier<List<X509Certificate>> issuingChain, List<X509Certificate> roots, JobLocks locks,
            MeterRegistry registry, Clock clock) {
        this.stores = Objects.requireNonNull(stores, "stores");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.roots = List.copyOf(roots);
        this.locks = Objects.requireNonNull(locks, "locks");
        this.inventory = new Inventory(stores.inventory(), settings.owners(), clock);
        this.statuses = new InventoryStatuses(new ThresholdPolicy(settings.alerting().thresholds(),
                settings.alerting().overrides()),
                RenewalPolicy.defaults());
        this.metrics = new InventoryMetrics(registry, settings.metrics());
        DeliveryLog log = metrics.counting(stores.deliveries());
        this.channels = channels(settings.alerting(), clock);
        this.metrics.channelTypes(channels.stream().map(AlertChannel::type).distinct().toList());
        this.alerter = new Alerter(stores.alertState(), stores.silences(), routing(channels),
                new Deliverer(RetryPolicy.defaults(), Sleeper.threadSleep(), new SecureRandom(), log, clock), clock);
        this.sync = new IssuedSync(ledger, inventory, issuingChain, clock);
    }

    // ---------------------------------------------------------------- channels

    private static List<AlertChannel> channels(InventorySettings.Alerting a, Clock clock) {
        List<AlertChannel> out = new ArrayList<>();
        Duration timeout = Duration.ofSeconds(30);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        a.webhook().ifPresent(w -> out.add(new WebhookChannel("webhook", w.url(), w.secret(), http, clock, timeout)));
        a.slackUrl().ifPresent(u -> out.add(new SlackChannel("slack", u, http, timeout)));
        a.smtp().ifPresent(s -> {
            SmtpSettings smtp = smtp(s);
            if (!s.to().isEmpty()) {
                out.add(new EmailChannel("email", smtp, s.to()));
            }
            new java.util.TreeMap<>(s.ownerTo()).forEach((owner, address) ->
                    out.add(new EmailChannel("email:" + owner, smtp, List.of(address))));
        });
        return out;
    }

    static SmtpSettings smtp(InventorySettings.Smtp s) {
        return new SmtpSettings(s.host(), s.port(), s.security(), s.username(), s.password(), s.from(),
                Duration.ofSeconds(30), Optional.empty());
    }

    // An owner with its own email route gets that instead of the default email, plus every non-email channel.
    private static AlertRouting routing(List<AlertChannel> channels) {
        List<AlertChannel> defaults = channels.stream().filter(c -> !c.name().startsWith("email:")).toList();
        Map<String, List<AlertChannel>> byOwner = new HashMap<>();
        for (AlertChannel c : channels) {
            if (c.name().startsWith("email:")) {
                List<AlertChannel> list = new ArrayList<>(defaults.stream().filter(d -> !d.type().equals("email"))
                        .toList());
                list.add(c);
                byOwner.put(c.name().substring("email:".length()), list);
            }
        }
        return new AlertRouting(defaults, byOwner);
    }

    // ---------------------------------------------------------------- jobs

    /// Starts the periodic jobs.
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        ScheduledExecutorService s = Executors.newScheduledThreadPool(3,
                Thread.ofVirtual().name("certwright-inventory-", 0).factory());
        schedule(s, SYNC_JOB, settings.syncInterval(), new Job() {
            private boolean rulesApplied;

            @Override
            public void run() throws Exception {
                if (!rulesApplied) {
                    // The configured rules may have changed since the last start: apply them once to every
                    // certificate without a hand-set owner (new ones get them as they are recorded).
                    int changed = inventory.replaceRules(settings.owners());
                    if (changed > 0) {
                        LOG.info("ownership rules assigned new owners to {} certificates", changed);
                    }
                    rulesApplied = true;
                }
                syncIssued();
            }
        });
        if (settings.scan().enabled()) {
            schedule(s, SCAN_JOB, settings.scan().interval(), this::scanNow);
        }
        schedule(s, ALERT_JOB, settings.alerting().interval(), this::alertNow);
        scheduler = s;
    }

    @FunctionalInterface
    private interface Job {
        void run() throws Exception;
    }

    private void schedule(ScheduledExecutorService s, String name, Duration every, Job job) {
        // The first run comes at once, so a fresh replica catches up without waiting an interval.
        var unused = s.scheduleWithFixedDelay(() -> runIfHeld(name, job), 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runIfHeld(String name, Job job) {
        try {
            if (!holds(name)) {
                return;
            }
            job.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            LOG.error("inventory job {} failed; it runs again at its next interval", name, e);
        }
    }

    private boolean holds(String name) throws Exception {
        Database.JobLock lock;
        synchronized (held) {
            lock = held.get(name);
        }
        if (lock != null && lock.held()) {
            return true;
        }
        Optional<Database.JobLock> claimed = locks.tryLock(name);
        synchronized (held) {
            if (claimed.isPresent()) {
                held.put(name, claimed.get());
                LOG.info("this replica now runs inventory job {}", name);
                return true;
            }
            if (held.remove(name) != null) {
                LOG.info("another replica runs inventory job {} now", name);
                if (name.equals(ALERT_JOB)) {
                    metrics.clearCertificates();
                }
            }
            return false;
        }
    }

    /// What one run of the ledger sync wrote.
    ///
    /// @param recorded certificates recorded as issued
    /// @param revoked certificates marked revoked
    public record SyncSummary(int recorded, int revoked) {
    }

    /// Runs the `inventory-sync` job now: copies newly signed and revoked certificates into the inventory.
    public SyncSummary syncIssued() throws Exception {
        IssuedSync.Summary s = sync.run();
        if (s.recorded() + s.revoked() > 0) {
            writes.incrementAndGet();
        }
        return new SyncSummary(s.recorded(), s.revoked());
    }

    /// What one scheduled scan did.
    ///
    /// @param findings certificates found
    /// @param errors targets and files that yielded none
    /// @param rejected findings the inventory refused
    public record ScanSummary(int findings, int errors, int rejected) {
    }

    /// Runs the `inventory-scan` job now: scans the configured targets and files and records the findings.
    public ScanSummary scanNow() throws Exception {
        synchronized (scanLock) {
            return scan();
        }
    }

    private ScanSummary scan() throws Exception {
        int findings = 0;
        int errors = 0;
        int rejected = 0;
        InventorySettings.Scan scan = settings.scan();
        if (!scan.targets().isEmpty()) {
            Instant started = clock.instant();
            Targets.Parsed parsed = Targets.parse(scan.targets(), scan.ports(), started);
            ScanSettings s = ScanSettings.defaults().withTimeout(scan.timeout()).withExtraRoots(roots);
            ScanReport report = new TlsScanner(s, clock).scan(parsed.targets(), ScanListener.NONE);
            report = new ScanReport(report.findings(), concat(parsed.errors(), report.errors()), started,
                    report.finished());
            ScanSummary one = record(TLS_TARGET_SET, report);
            findings += one.findings();
            errors += one.errors();
            rejected += one.rejected();
        }
        if (!scan.files().isEmpty()) {
            ScanReport report = new FileScanner(KeystorePasswords.defaults(), clock).scan(scan.files(),
                    ScanListener.NONE);
            ScanSummary one = record(FILES_TARGET_SET, report);
            findings += one.findings();
            errors += one.errors();
            rejected += one.rejected();
        }
        return new ScanSummary(findings, errors, rejected);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    // A scan succeeds when it ran to the end and found something, or had nothing fail.
    private ScanSummary record(String targetSet, ScanReport report) {
        Findings.Recorded r = Findings.record(inventory, report);
        writes.incrementAndGet();
        boolean success = !report.findings().isEmpty() || report.errors().isEmpty();
        metrics.scanFinished(targetSet, report.errors().size(), success, report.finished(),
                Duration.between(report.started(), report.finished()));
        if (!report.errors().isEmpty()) {
            LOG.info("scheduled scan of {}: {} certificates, {} errors (first: {})", targetSet,
                    report.findings().size(), report.errors().size(), report.errors().getFirst());
        }
        return new ScanSummary(report.findings().size(), report.errors().size(), r.rejected());
    }

    /// Runs the `inventory-alerts` job now: computes every status, refreshes the certificate metrics, and
    /// sends the alerts (and, if configured, the day's digests) that are due.
    public Alerter.RunSummary alertNow() {
        synchronized (alertLock) {
            return alert();
        }
    }

    private Alerter.RunSummary alert() {
        InventoryStatuses.Snapshot snapshot = snapshot();
        metrics.update(snapshot);
        Alerter.RunSummary run = alerter.run(snapshot);
        if (settings.alerting().digest()) {
            Alerter.RunSummary d = alerter.sendDigests(snapshot);
            run = new Alerter.RunSummary(run.delivered() + d.delivered(), run.failed() + d.failed(),
                    run.silenced() + d.silenced());
        }
        return run;
    }

    // ---------------------------------------------------------------- reads

    private record Cached(InventoryStatuses.Snapshot snapshot, long writes, List<CertificateState> byFingerprint,
            Map<Fingerprint, CertificateState> index) {
    }

    /// The status of every certificate now. Reused for [#SNAPSHOT_REUSE] of clock time unless something was
    /// written through this replica since; writes through other replicas show once that time has passed.
    public InventoryStatuses.Snapshot snapshot() {
        return cached().snapshot();
    }

    private synchronized Cached cached() {
        Instant now = clock.instant();
        Cached c = cached;
        if (c != null && c.writes() == writes.get() && !now.isBefore(c.snapshot().at())
                && Duration.between(c.snapshot().at(), now).compareTo(SNAPSHOT_REUSE) < 0) {
            return c;
        }
        long w = writes.get();
        List<io.certwright.inventory.InventoryEntry> entries = new ArrayList<>();
        stores.inventory().forEach(entries::add);
        InventoryStatuses.Snapshot snapshot = statuses.compute(entries, now);
        List<CertificateState> sorted = new ArrayList<>(snapshot.states());
        sorted.sort(Comparator.comparing(s -> s.entry().fingerprint()));
        Map<Fingerprint, CertificateState> index = new HashMap<>();
        sorted.forEach(s -> index.put(s.entry().fingerprint(), s));
        c = new Cached(snapshot, w, Collections.unmodifiableList(sorted), index);
        cached = c;
        return c;
    }

    /// Which certificates [#list] returns.
    ///
    /// @param status only this status
    /// @param owner only this owner (empty text: only certificates without one)
    /// @param issued only certificates Certwright issued (true) or only discovered ones (false)
    /// @param expiringWithin only certificates not yet expired that expire within this time
    /// @param after the page starts after this fingerprint
    /// @param limit most items
    public record Filter(Optional<CertificateStatus> status, Optional<String> owner, Optional<Boolean> issued,
            Optional<Duration> expiringWithin, Optional<Fingerprint> after, int limit) {
        public Filter {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(issued, "issued");
            Objects.requireNonNull(expiringWithin, "expiringWithin");
            Objects.requireNonNull(after, "after");
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be positive");
            }
        }
    }

    /// One page of certificates, in fingerprint order.
    ///
    /// @param items the certificates with their status
    /// @param next where the next page starts, when there is one
    /// @param at the instant the statuses were computed at
    public record Page(List<CertificateState> items, Optional<Fingerprint> next, Instant at) {
        public Page {
            items = List.copyOf(items);
        }
    }

    /// The certificates matching `filter`, one page.
    public Page list(Filter filter) {
        Cached c = cached();
        List<CertificateState> sorted = c.byFingerprint();
        int from = 0;
        if (filter.after().isPresent()) {
            int lo = 0;
            int hi = sorted.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted.get(mid).entry().fingerprint().compareTo(filter.after().get()) <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            from = lo;
        }
        Instant now = c.snapshot().at();
        List<CertificateState> items = new ArrayList<>();
        boolean more = false;
        for (int i = from; i < sorted.size(); i++) {
            CertificateState s = sorted.get(i);
            if (!matches(filter, s, now)) {
                continue;
            }
            if (items.size() == filter.limit()) {
                more = true;
                break;
            }
            items.add(s);
        }
        return new Page(items, more ? Optional.of(items.getLast().entry().fingerprint()) : Optional.empty(), now);
    }

    private static boolean matches(Filter f, CertificateState s, Instant now) {
        var e = s.entry();
        if (f.status().isPresent() && s.status() != f.status().get()) {
            return false;
        }
        if (f.owner().isPresent() && !e.ownership().owner().orElse("").equals(f.owner().get())) {
            return false;
        }
        if (f.issued().isPresent() && e.issuedByUs() != f.issued().get()) {
            return false;
        }
        if (f.expiringWithin().isPresent()) {
            Instant notAfter = e.facts().notAfter();
            return notAfter.isAfter(now) && !notAfter.isAfter(now.plus(f.expiringWithin().get()));
        }
        return true;
    }

    /// One certificate with its status.
    public Optional<CertificateState> find(Fingerprint fingerprint) {
        Cached c = cached();
        CertificateState s = c.index().get(fingerprint);
        if (s == null && inventory.find(fingerprint).isPresent()) {
            // Written through another replica since the snapshot: compute afresh.
            invalidate();
            s = cached().index().get(fingerprint);
        }
        return Optional.ofNullable(s);
    }

    private void invalidate() {
        writes.incrementAndGet();
    }

    // ---------------------------------------------------------------- writes from the API

    /// Sets a certificate's owner and labels by hand. False when the inventory does not know it.
    public boolean assignOwner(Fingerprint fingerprint, String owner, Map<String, String> labels) {
        boolean done = inventory.assignOwner(fingerprint, owner, labels);
        invalidate();
        return done;
    }

    /// Removes a hand-set owner, so rules decide again. False when the inventory does not know it.
    public boolean clearOwner(Fingerprint fingerprint) {
        boolean done = inventory.clearManualOwner(fingerprint);
        invalidate();
        return done;
    }

    /// Records a chain of DER certificates (leaf first) seen at `place`.
    public IngestResult recordSighting(List<byte[]> derChain, Place place, Instant seenAt, Optional<TlsFacts> tls) {
        IngestResult r = inventory.recordSeenDer(derChain, place, seenAt, tls);
        invalidate();
        return r;
    }

    /// Adds a silence.
    public void addSilence(Silence silence) {
        stores.silences().add(silence);
    }

    /// Removes a silence; false when there is none with this id.
    public boolean removeSilence(UUID id) {
        return stores.silences().remove(id);
    }

    /// The silences that have not ended.
    public List<Silence> silences() {
        return stores.silences().active(clock.instant());
    }

    /// The latest deliveries, newest first.
    public List<DeliveryRecord> deliveries(int limit) {
        return stores.deliveries().recent(limit);
    }

    /// The compliance report over the inventory now.
    public String report(ReportFormat format) {
        return format.write(new ComplianceReporter(ReportPolicy.defaults()).build(snapshot()));
    }

    /// The names of the configured alert channels.
    public Set<String> channelNames() {
        Set<String> names = new LinkedHashSet<>();
        channels.forEach(c -> names.add(c.name()));
        return names;
    }

    /// The settings this service runs with.
    public InventorySettings settings() {
        return settings;
    }

    /// Stops the jobs and gives up their locks.
    @Override
    public synchronized void close() {
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdownNow();
            try {
                if (!s.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("inventory jobs did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
        synchronized (held) {
            held.values().forEach(Database.JobLock::close);
            held.clear();
        }
    }
}
