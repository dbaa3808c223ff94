package io.certwright.inventory.discovery;

/// What scanning one target produced: a [Finding] or a [ScanError].
public sealed interface Observation permits Finding, ScanError {
}
