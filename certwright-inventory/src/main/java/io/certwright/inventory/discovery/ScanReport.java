package io.certwright.inventory.discovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/// Everything a scan found and every per-target error, in the order of the targets.
///
/// @param findings certificates found
/// @param errors   targets that yielded none, with the reason
/// @param started  when the scan started
/// @param finished when the last target was done
public record ScanReport(List<Finding> findings, List<ScanError> errors, Instant started, Instant finished) {

    public ScanReport {
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
    }

    /// Splits observations into findings and errors, keeping their order.
    public static ScanReport of(List<? extends Observation> observations, Instant started, Instant finished) {
        List<Finding> f = new ArrayList<>();
        List<ScanError> e = new ArrayList<>();
        for (Observation o : observations) {
            switch (o) {
                case Finding finding -> f.add(finding);
                case ScanError error -> e.add(error);
            }
        }
        return new ScanReport(f, e, started, finished);
    }

    /// This report and `other` in one, spanning both time ranges.
    public ScanReport plus(ScanReport other) {
        List<Finding> f = new ArrayList<>(findings);
        f.addAll(other.findings);
        List<ScanError> e = new ArrayList<>(errors);
        e.addAll(other.errors);
        Instant s = started.isBefore(other.started) ? started : other.started;
        Instant t = finished.isAfter(other.finished) ? finished : other.finished;
        return new ScanReport(f, e, s, t);
    }
}
