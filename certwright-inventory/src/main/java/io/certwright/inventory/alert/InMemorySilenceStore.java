package io.certwright.inventory.alert;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/// A [SilenceStore] in memory; ended silences are dropped when read.
public final class InMemorySilenceStore implements SilenceStore {

    private final ConcurrentHashMap<UUID, Silence> silences = new ConcurrentHashMap<>();

    @Override
    public void add(Silence silence) {
        silences.put(silence.id(), silence);
    }

    @Override
    public boolean remove(UUID id) {
        return silences.remove(id) != null;
    }

    @Override
    public List<Silence> active(Instant now) {
        silences.values().removeIf(s -> !now.isBefore(s.until()));
        return List.copyOf(silences.values());
    }
}
