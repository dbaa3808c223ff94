package io.certwright.inventory.status;

import io.certwright.core.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/// How long before expiry a certificate counts as expiring, and at which remaining times an alert is due:
/// by default 30, 14, 7, 3 and 1 days.
///
/// @param thresholds positive, distinct, longest first
public record ExpiryThresholds(List<Duration> thresholds) {

    /// Most thresholds in one list.
    public static final int MAX_THRESHOLDS = 32;

    private static final ExpiryThresholds DEFAULT = of(Duration.ofDays(30), Duration.ofDays(14), Duration.ofDays(7),
            Duration.ofDays(3), Duration.ofDays(1));

    public ExpiryThresholds {
        if (thresholds.isEmpty()) {
            throw new IllegalArgumentException("at least one expiry threshold is needed");
        }
        if (thresholds.size() > MAX_THRESHOLDS) {
            throw new IllegalArgumentException("at most " + MAX_THRESHOLDS + " expiry thresholds");
        }
        List<Duration> sorted = new ArrayList<>(thresholds);
        sorted.sort(Comparator.reverseOrder());
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).isZero() || sorted.get(i).isNegative()) {
                throw new IllegalArgumentException("expiry thresholds must be positive");
            }
            if (i > 0 && sorted.get(i).equals(sorted.get(i - 1))) {
                throw new IllegalArgumentException("expiry threshold " + Durations.format(sorted.get(i))
                        + " is listed twice");
            }
        }
        thresholds = List.copyOf(sorted);
    }

    /// 30, 14, 7, 3 and 1 days.
    public static ExpiryThresholds defaults() {
        return DEFAULT;
    }

    /// Thresholds in any order.
    public static ExpiryThresholds of(Duration... thresholds) {
        return new ExpiryThresholds(List.of(thresholds));
    }

    /// Parses a comma-separated list such as `30d,14d,7d,3d,1d`.
    public static ExpiryThresholds parse(String text) {
        List<Duration> list = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            list.add(Durations.parse(part));
        }
        return new ExpiryThresholds(list);
    }

    /// The index (in [#thresholds()]) of the shortest threshold that `remaining` has crossed, or -1 when the
    /// certificate is not yet within the longest one.
    public int crossedIndex(long remainingSeconds) {
        int crossed = -1;
        for (int i = 0; i < thresholds.size(); i++) {
            if (remainingSeconds <= thresholds.get(i).toSeconds()) {
                crossed = i;
            } else {
                break;
            }
        }
        return crossed;
    }

    /// The shortest threshold that `remaining` has crossed.
    public Optional<Duration> crossed(Duration remaining) {
        int i = crossedIndex(remaining.toSeconds());
        return i < 0 ? Optional.empty() : Optional.of(thresholds.get(i));
    }

    /// The longest threshold: the point where a certificate starts to count as expiring.
    public Duration longest() {
        return thresholds.getFirst();
    }

    @Override
    public String toString() {
        return thresholds.stream().map(Durations::format).collect(Collectors.joining(","));
    }
}
