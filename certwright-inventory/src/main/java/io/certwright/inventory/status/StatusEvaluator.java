package io.certwright.inventory.status;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/// Computes the status of every row of a [StatusTable] at one instant, in three linear passes and without
/// allocating per row: which certificate each place serves now, the newest certificate Certwright issued for each
/// identity, then each row's status. See [CertificateStatus] for the rules and their precedence.
///
/// Pure: the same table, instant and policies give the same results.
public final class StatusEvaluator {

    private final ExpiryThresholds[] policies;
    private final long[][] policySeconds;
    private final RenewalPolicy renewal;

    /// An evaluator; row policy index `i` uses `policies.get(i)`.
    public StatusEvaluator(List<ExpiryThresholds> policies, RenewalPolicy renewal) {
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("at least one threshold list is needed");
        }
        this.policies = policies.toArray(ExpiryThresholds[]::new);
        this.policySeconds = new long[this.policies.length][];
        for (int i = 0; i < this.policies.length; i++) {
            policySeconds[i] = this.policies[i].thresholds().stream().mapToLong(d -> d.toSeconds()).toArray();
        }
        this.renewal = Objects.requireNonNull(renewal, "renewal");
    }

    /// The threshold lists, by policy index.
    public List<ExpiryThresholds> policies() {
        return List.of(policies);
    }

    /// The status of every row at `now`.
    ///
    /// @throws IllegalArgumentException if a row names a policy index this evaluator does not have
    public StatusResults evaluate(StatusTable t, Instant now) {
        long nowSeconds = now.getEpochSecond();
        int[] current = currentRowPerPlace(t);
        long[] newestIssued = newestIssuedPerIdentity(t);
        byte[] status = new byte[t.rows];
        byte[] threshold = new byte[t.rows];
        for (int r = 0; r < t.rows; r++) {
            int p = t.policy[r];
            if (p >= policySeconds.length) {
                throw new IllegalArgumentException("row " + r + " names threshold policy " + p + " of "
                        + policySeconds.length);
            }
            int crossed = crossedIndex(policySeconds[p], t.notAfter[r] - nowSeconds);
            threshold[r] = (byte) crossed;
            status[r] = (byte) statusOf(t, r, nowSeconds, current, newestIssued, crossed).code();
        }
        return new StatusResults(status, threshold);
    }

    private CertificateStatus statusOf(StatusTable t, int r, long now, int[] current, long[] newestIssued,
            int crossed) {
        boolean issuedByUs = (t.flags[r] & StatusTable.ISSUED_BY_US) != 0;
        if ((t.flags[r] & StatusTable.REVOKED) != 0) {
            return CertificateStatus.REVOKED;
        }
        if (replaced(t, r, current, newestIssued, issuedByUs)) {
            return CertificateStatus.REPLACED;
        }
        if (now >= t.notAfter[r]) {
            return CertificateStatus.EXPIRED;
        }
        if (issuedByUs && newestIssued[t.identity[r]] <= t.notBefore[r]
                && now >= renewal.renewalPointSeconds(t.notBefore[r], t.notAfter[r])) {
            return CertificateStatus.RENEWAL_OVERDUE;
        }
        return crossed >= 0 ? CertificateStatus.EXPIRING : CertificateStatus.OK;
    }

    private static boolean replaced(StatusTable t, int r, int[] current, long[] newestIssued, boolean issuedByUs) {
        int from = t.sightingStart[r];
        int to = t.sightingStart[r + 1];
        if (from == to) {
            return issuedByUs && newestIssued[t.identity[r]] > t.notBefore[r];
        }
        for (int s = from; s < to; s++) {
            int now = current[t.sightingPlace[s]];
            if (now == r || t.notBefore[now] <= t.notBefore[r] || !covers(t, now, r)) {
                return false;
            }
        }
        return true;
    }

    // Whether the names of row a include every name of row b; both name lists are ascending.
    private static boolean covers(StatusTable t, int a, int b) {
        int i = t.nameStart[a];
        int iEnd = t.nameStart[a + 1];
        for (int j = t.nameStart[b]; j < t.nameStart[b + 1]; j++) {
            int wanted = t.names[j];
            while (i < iEnd && t.names[i] < wanted) {
                i++;
            }
            if (i == iEnd || t.names[i] != wanted) {
                return false;
            }
        }
        return true;
    }

    // For each place, the row seen there most recently; on a tie the row with the later notBefore.
    private static int[] currentRowPerPlace(StatusTable t) {
        int[] current = new int[t.placeCount];
        long[] seen = new long[t.placeCount];
        Arrays.fill(current, -1);
        for (int r = 0; r < t.rows; r++) {
            for (int s = t.sightingStart[r]; s < t.sightingStart[r + 1]; s++) {
                int p = t.sightingPlace[s];
                long at = t.sightingLastSeen[s];
                if (current[p] < 0 || at > seen[p] || (at == seen[p] && t.notBefore[r] > t.notBefore[current[p]])) {
                    current[p] = r;
                    seen[p] = at;
                }
            }
        }
        return current;
    }

    private static long[] newestIssuedPerIdentity(StatusTable t) {
        long[] newest = new long[t.identityCount];
        Arrays.fill(newest, Long.MIN_VALUE);
        for (int r = 0; r < t.rows; r++) {
            if ((t.flags[r] & StatusTable.ISSUED_BY_US) != 0 && t.notBefore[r] > newest[t.identity[r]]) {
                newest[t.identity[r]] = t.notBefore[r];
            }
        }
        return newest;
    }

    private static int crossedIndex(long[] thresholdsDescending, long remaining) {
        int crossed = -1;
        for (int i = 0; i < thresholdsDescending.length && remaining <= thresholdsDescending[i]; i++) {
            crossed = i;
        }
        return crossed;
    }
}
