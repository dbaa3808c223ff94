package io.certwright.inventory.alert;

import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.Sighting;
import io.certwright.inventory.status.CertificateState;
import io.certwright.inventory.status.CertificateStatus;
import io.certwright.inventory.status.InventoryStatuses;
import io.certwright.core.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/// Turns certificate statuses into notifications, each sent once per channel:
///
/// - **Expiring:** one alert per certificate and crossed threshold. When several thresholds were crossed since
///   the last run, only the shortest is sent. An alert after an earlier one for the same certificate is marked
///   as an escalation.
/// - **Expired** and **renewal overdue:** one alert each per certificate.
/// - **Resolved:** when a certificate that was alerted on becomes replaced or revoked, one notice on every
///   channel that got an alert for it.
/// - **Silences** per certificate or owner hold alerts back without claiming them; when the silence ends, the
///   alert then due goes out.
/// - **Digest:** [#sendDigests] sends each owner one summary per UTC day of its certificates needing attention.
///
/// Deduplication is a claim in the [AlertStateStore] before sending; when delivery fails for good the claim is
/// released, so the next run tries again and a success is never repeated. Run it from one replica at a time
/// (the server holds a lock for periodic jobs); even without, a claim is won once.
public final class Alerter {

    private static final int MAX_PLACES_PER_ITEM = 10;
    private static final Duration CRITICAL_WITHIN = Duration.ofDays(7);

    private final AlertStateStore state;
    private final SilenceStore silences;
    private final AlertRouting routing;
    private final Deliverer deliverer;
    private final Clock clock;

    /// An alerter.
    public Alerter(AlertStateStore state, SilenceStore silences, AlertRouting routing, Deliverer deliverer,
            Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.silences = Objects.requireNonNull(silences, "silences");
        this.routing = Objects.requireNonNull(routing, "routing");
        this.deliverer = Objects.requireNonNull(deliverer, "deliverer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /// What one run did.
    ///
    /// @param delivered notifications delivered (one per channel)
    /// @param failed deliveries that failed after all attempts
    /// @param silenced alerts held back by a silence
    public record RunSummary(int delivered, int failed, int silenced) {
    }

    /// Sends the alerts, escalations and resolutions due for `snapshot`.
    public RunSummary run(InventoryStatuses.Snapshot snapshot) {
        Instant now = clock.instant();
        List<Silence> active = silences.active(now);
        Map<String, List<AlertClaim>> open = new HashMap<>();
        for (AlertClaim c : state.openClaims()) {
            open.computeIfAbsent(c.subject(), k -> new ArrayList<>()).add(c);
        }
        Counter counter = new Counter();
        for (CertificateState s : snapshot.states()) {
            InventoryEntry e = s.entry();
            Fingerprint fp = e.fingerprint();
            List<AlertClaim> prior = open.getOrDefault(fp.hex(), List.of());
            List<Due> due = dueFor(s, prior);
            if (due.isEmpty()) {
                continue;
            }
            Optional<String> owner = e.ownership().owner();
            if (active.stream().anyMatch(x -> x.covers(fp, owner, now))) {
                counter.silenced += due.size();
                continue;
            }
            for (Due d : due) {
                Notification n = notification(d, s, now);
                List<AlertChannel> channels = d.kind == AlertKind.RESOLVED
                        ? channelsThatAlerted(prior) : routing.channelsFor(owner);
                for (AlertChannel channel : channels) {
                    send(n, channel, d.baseKey, fp.hex(), now, counter);
                }
            }
        }
        return new RunSummary(counter.delivered, counter.failed, counter.silenced);
    }

    /// Sends each owner (and the unowned, to the default channels) one digest for today (UTC) listing its
    /// certificates that are expiring, expired or overdue for renewal. Owners with nothing to report get none;
    /// a silenced owner gets none.
    public RunSummary sendDigests(InventoryStatuses.Snapshot snapshot) {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<Silence> active = silences.active(now);
        Map<String, List<CertificateState>> byOwner = new TreeMap<>();
        for (CertificateState s : snapshot.states()) {
            if (s.status() == CertificateStatus.OK || s.status().settled()) {
                continue;
            }
            Fingerprint fp = s.entry().fingerprint();
            Optional<String> owner = s.entry().ownership().owner();
            if (active.stream().anyMatch(x -> x.covers(fp, owner, now))) {
                continue;
            }
            byOwner.computeIfAbsent(owner.orElse(""), k -> new ArrayList<>()).add(s);
        }
        Counter counter = new Counter();
        for (Map.Entry<String, List<CertificateState>> group : byOwner.entrySet()) {
            Optional<String> owner = group.getKey().isEmpty() ? Optional.empty() : Optional.of(group.getKey());
            String subject = "owner:" + group.getKey();
            String baseKey = AlertKind.DIGEST.wireName() + "|" + group.getKey() + "|" + day;
            List<Notification.Item> items = group.getValue().stream().map(Alerter::item).toList();
            Notification n = new Notification(id(baseKey), AlertKind.DIGEST, Severity.INFO, false, owner,
                    "Certificate digest for " + owner.orElse("unowned certificates") + " on " + day + ": "
                            + items.size() + " need attention", items, now);
            for (AlertChannel channel : routing.channelsFor(owner)) {
                send(n, channel, baseKey, subject, now, counter);
            }
        }
        return new RunSummary(counter.delivered, counter.failed, counter.silenced);
    }

    private void send(Notification n, AlertChannel channel, String baseKey, String subject, Instant now,
            Counter counter) {
        String key = baseKey + "|" + channel.name();
        if (!state.tryClaim(new AlertClaim(key, subject, n.kind(), channel.name(), now))) {
            return;
        }
        DeliveryRecord r = deliverer.deliver(n, channel);
        if (r.outcome() == DeliveryOutcome.DELIVERED) {
            counter.delivered++;
        } else {
            state.release(key);
            counter.failed++;
        }
    }

    private List<AlertChannel> channelsThatAlerted(List<AlertClaim> prior) {
        Map<String, AlertChannel> byName = routing.channelsByName();
        return prior.stream().map(AlertClaim::channel).distinct().map(byName::get).filter(Objects::nonNull)
                .toList();
    }

    private record Due(AlertKind kind, String baseKey, Optional<Duration> threshold, boolean escalation) {
    }

    private static List<Due> dueFor(CertificateState s, List<AlertClaim> prior) {
        String fp = s.entry().fingerprint().hex();
        boolean alertedBefore = prior.stream().anyMatch(c -> c.kind() != AlertKind.RESOLVED);
        List<Due> due = new ArrayList<>(2);
        switch (s.status()) {
            case REVOKED, REPLACED -> {
                if (alertedBefore) {
                    due.add(new Due(AlertKind.RESOLVED, AlertKind.RESOLVED.wireName() + "|" + fp, Optional.empty(),
                            false));
                }
            }
            case EXPIRED -> due.add(new Due(AlertKind.EXPIRED, AlertKind.EXPIRED.wireName() + "|" + fp,
                    Optional.empty(), alertedBefore));
            case RENEWAL_OVERDUE -> {
                due.add(new Due(AlertKind.RENEWAL_OVERDUE, AlertKind.RENEWAL_OVERDUE.wireName() + "|" + fp,
                        Optional.empty(), false));
                s.crossedThreshold().ifPresent(t -> due.add(expiring(fp, t, prior)));
            }
            case EXPIRING -> s.crossedThreshold().ifPresent(t -> due.add(expiring(fp, t, prior)));
            case OK -> { }
        }
        return due;
    }

    private static Due expiring(String fp, Duration threshold, List<AlertClaim> prior) {
        String baseKey = AlertKind.EXPIRING.wireName() + "|" + fp + "|" + threshold.toSeconds();
        boolean escalation = prior.stream().anyMatch(c -> (c.kind() == AlertKind.EXPIRING
                || c.kind() == AlertKind.RENEWAL_OVERDUE) && !c.key().startsWith(baseKey + "|"));
        return new Due(AlertKind.EXPIRING, baseKey, Optional.of(threshold), escalation);
    }

    private static Notification notification(Due d, CertificateState s, Instant now) {
        InventoryEntry e = s.entry();
        String name = e.facts().commonNameOrSubject();
        Duration left = Duration.between(now, e.facts().notAfter());
        String title = switch (d.kind) {
            case EXPIRING -> (d.escalation ? "Escalation: " : "") + "certificate " + name + " expires in "
                    + (left.isNegative() ? "0s" : Durations.format(Duration.ofSeconds(left.toSeconds())))
                    + " (threshold " + d.threshold.map(Durations::format).orElse("-") + ")";
            case EXPIRED -> (d.escalation ? "Escalation: " : "") + "certificate " + name + " has expired";
            case RENEWAL_OVERDUE -> "certificate " + name + " is overdue for renewal";
            case RESOLVED -> "Resolved: certificate " + name + " was "
                    + (s.status() == CertificateStatus.REVOKED ? "revoked" : "replaced by a newer certificate");
            case DIGEST -> "digest";
        };
        Severity severity = switch (d.kind) {
            case EXPIRED -> Severity.CRITICAL;
            case EXPIRING -> d.threshold.filter(t -> t.compareTo(CRITICAL_WITHIN) <= 0).isPresent()
                    ? Severity.CRITICAL : Severity.WARNING;
            case RENEWAL_OVERDUE -> Severity.WARNING;
            case RESOLVED, DIGEST -> Severity.INFO;
        };
        return new Notification(id(d.baseKey), d.kind, severity, d.escalation, e.ownership().owner(), title,
                List.of(item(s)), now);
    }

    private static Notification.Item item(CertificateState s) {
        InventoryEntry e = s.entry();
        List<String> places = e.sightings().stream().limit(MAX_PLACES_PER_ITEM).map(Sighting::place)
                .map(p -> p.display()).toList();
        return new Notification.Item(e.fingerprint(), e.facts().commonNameOrSubject(), s.status().wireName(),
                e.facts().notAfter(), s.crossedThreshold(), places);
    }

    private static String id(String baseKey) {
        return UUID.nameUUIDFromBytes(baseKey.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static final class Counter {
        int delivered;
        int failed;
        int silenced;
    }
}
