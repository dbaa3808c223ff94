package io.certwright.inventory.discovery;

/// Told of each [Observation] as soon as it is made, for progress displays and streaming output.
///
/// Scanners call it from many threads at once; implementations must be thread-safe and quick.
@FunctionalInterface
public interface ScanListener {

    /// A listener that ignores everything.
    ScanListener NONE = o -> { };

    /// One target's result.
    void observed(Observation observation);
}
