package io.certwright.inventory.status;

import io.certwright.inventory.CertificateFacts;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.Sighting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/// Computes the status of inventory entries: interns their names, identities and places, fills a
/// [StatusTable], runs the [StatusEvaluator] and pairs each result with its entry.
public final class InventoryStatuses {

    private final ThresholdPolicy thresholds;
    private final RenewalPolicy renewal;

    /// Statuses under these threshold and renewal policies.
    public InventoryStatuses(ThresholdPolicy thresholds, RenewalPolicy renewal) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.renewal = Objects.requireNonNull(renewal, "renewal");
    }

    /// The status of every entry at `now`.
    public Snapshot compute(Iterable<InventoryEntry> entries, Instant now) {
        List<ExpiryThresholds> policies = thresholds.all();
        Map<ExpiryThresholds, Integer> policyIndex = new HashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            policyIndex.put(policies.get(i), i);
        }
        Interner names = new Interner();
        Interner identities = new Interner();
        Interner places = new Interner();
        List<InventoryEntry> rows = new ArrayList<>();
        List<Integer> rowPolicy = new ArrayList<>();
        StatusTable.Builder table = StatusTable.builder(1024);
        for (InventoryEntry e : entries) {
            CertificateFacts f = e.facts();
            int[] nameIds = f.names().stream().mapToInt(names::id).sorted().distinct().toArray();
            int policy = policyIndex.getOrDefault(thresholds.thresholdsFor(e.ownership()), 0);
            rowPolicy.add(policy);
            int row = table.addCertificate(f.notBefore().getEpochSecond(), f.notAfter().getEpochSecond(),
                    e.issuedByUs(), e.revoked(), identities.id(f.identity()), policy, nameIds);
            for (Sighting s : e.sightings()) {
                table.addSighting(row, places.id(s.place().key()), s.lastSeen().getEpochSecond());
            }
            rows.add(e);
        }
        StatusResults results = new StatusEvaluator(policies, renewal).evaluate(table.build(), now);
        List<CertificateState> states = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            InventoryEntry e = rows.get(r);
            ExpiryThresholds th = policies.get(rowPolicy.get(r));
            int crossed = results.thresholdIndex(r);
            states.add(new CertificateState(e, results.status(r), th,
                    crossed < 0 ? Optional.empty() : Optional.of(th.thresholds().get(crossed))));
        }
        return new Snapshot(now, states, results.counts());
    }

    /// Statuses of many certificates at one instant.
    ///
    /// @param at the instant
    /// @param states one state per entry
    /// @param counts how many certificates have each status
    public record Snapshot(Instant at, List<CertificateState> states, Map<CertificateStatus, Long> counts) {

        public Snapshot {
            Objects.requireNonNull(at, "at");
            states = List.copyOf(states);
            counts = Collections.unmodifiableMap(new EnumMap<>(counts));
        }

        /// The state of one certificate.
        public Optional<CertificateState> stateOf(io.certwright.inventory.Fingerprint fingerprint) {
            return states.stream().filter(s -> s.entry().fingerprint().equals(fingerprint)).findFirst();
        }
    }

    private static final class Interner {
        private final HashMap<String, Integer> ids = new HashMap<>();

        int id(String value) {
            return ids.computeIfAbsent(value, v -> ids.size());
        }
    }
}
