package io.certwright.inventory;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/// Storage of inventory entries, keyed by certificate fingerprint.
///
/// Writes are conditional so that several writers (scanners, the CA's issuance listener, server replicas)
/// never overwrite each other: [#insert] succeeds for exactly one writer of a new fingerprint, and
/// [#replace] succeeds only while the stored version is the one the writer read.
public interface InventoryStore {

    /// The entry for a fingerprint.
    Optional<InventoryEntry> find(Fingerprint fingerprint);

    /// Stores a new entry (version 1) unless the fingerprint is already stored.
    ///
    /// @return whether this call stored it
    boolean insert(InventoryEntry entry);

    /// Replaces the stored entry of `entry`'s fingerprint if its version is `entry.version() - 1`.
    ///
    /// @return whether this call replaced it; false if another writer got there first or it is not stored
    boolean replace(InventoryEntry entry);

    /// Calls `action` once for every stored entry, in no particular order. Implementations stream; they do
    /// not load every entry at once.
    void forEach(Consumer<InventoryEntry> action);

    /// Calls `action` once for every entry whose owner is `owner`, in no particular order. Database-backed
    /// implementations stream and answer from an index rather than by reading every entry.
    void forEachOwnedBy(String owner, Consumer<InventoryEntry> action);

    /// Calls `action` once for every entry whose certificate's notAfter lies before `instant`, soonest first
    /// (entries with equal notAfter in no particular order). Database-backed implementations stream and answer
    /// from an index.
    void forEachExpiringBefore(Instant instant, Consumer<InventoryEntry> action);

    /// The number of stored entries.
    long count();
}
