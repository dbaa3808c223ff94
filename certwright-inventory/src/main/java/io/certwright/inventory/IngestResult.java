package io.certwright.inventory;

/// What happened to one certificate handed to the [Inventory].
public sealed interface IngestResult permits IngestResult.Added, IngestResult.Updated, IngestResult.Rejected {

    /// A certificate the inventory did not know yet.
    ///
    /// @param fingerprint its fingerprint
    record Added(Fingerprint fingerprint) implements IngestResult {
    }

    /// A known certificate, updated (a new place, a later sighting, the issued-by-us flag).
    ///
    /// @param fingerprint its fingerprint
    record Updated(Fingerprint fingerprint) implements IngestResult {
    }

    /// Input the inventory could not use; nothing was stored.
    ///
    /// @param reason one line saying why, without the input's bytes
    record Rejected(String reason) implements IngestResult {
    }
}
