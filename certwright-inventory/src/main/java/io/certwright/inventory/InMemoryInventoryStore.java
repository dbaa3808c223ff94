package io.certwright.inventory;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/// An [InventoryStore] in memory: for tests, and for the command line's scans without a server.
public final class InMemoryInventoryStore implements InventoryStore {

    private final ConcurrentHashMap<Fingerprint, InventoryEntry> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<InventoryEntry> find(Fingerprint fingerprint) {
        return Optional.ofNullable(entries.get(fingerprint));
    }

    @Override
    public boolean insert(InventoryEntry entry) {
        if (entry.version() != 1) {
            throw new IllegalArgumentException("a new entry has version 1, not " + entry.version());
        }
        return entries.putIfAbsent(entry.fingerprint(), entry) == null;
    }

    @Override
    public boolean replace(InventoryEntry entry) {
        AtomicBoolean replaced = new AtomicBoolean();
        entries.computeIfPresent(entry.fingerprint(), (fp, stored) -> {
            if (stored.version() == entry.version() - 1) {
                replaced.set(true);
                return entry;
            }
            return stored;
        });
        return replaced.get();
    }

    @Override
    public void forEach(Consumer<InventoryEntry> action) {
        entries.values().forEach(action);
    }

    @Override
    public void forEachOwnedBy(String owner, Consumer<InventoryEntry> action) {
        entries.values().stream().filter(e -> e.ownership().owner().filter(owner::equals).isPresent())
                .forEach(action);
    }

    @Override
    public void forEachExpiringBefore(Instant instant, Consumer<InventoryEntry> action) {
        entries.values().stream().filter(e -> e.facts().notAfter().isBefore(instant))
                .sorted(Comparator.comparing(e -> e.facts().notAfter())).forEach(action);
    }

    @Override
    public long count() {
        return entries.size();
    }
}
