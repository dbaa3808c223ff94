package io.certwright.agent.cache;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The current [CacheSnapshot] and the registry of those listening for changes.
///
/// Readers take [#snapshot] without locking; [#publish] swaps in a new snapshot and then calls every
/// subscriber with it, on the publishing thread. A subscriber that throws is logged and kept.
public final class SvidCache {

    private static final Logger LOG = LoggerFactory.getLogger(SvidCache.class);

    private volatile CacheSnapshot snapshot;
    private final CopyOnWriteArrayList<Consumer<CacheSnapshot>> listeners = new CopyOnWriteArrayList<>();

    /// A cache starting at `initial`.
    public SvidCache(CacheSnapshot initial) {
        this.snapshot = Objects.requireNonNull(initial, "initial");
    }

    /// The current snapshot.
    public CacheSnapshot snapshot() {
        return snapshot;
    }

    /// Replaces the snapshot and tells every subscriber.
    public void publish(CacheSnapshot next) {
        this.snapshot = Objects.requireNonNull(next, "next");
        for (Consumer<CacheSnapshot> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("a cache listener failed", e);
            }
        }
    }

    /// Calls `listener` with every future snapshot until the returned subscription is closed.
    public Subscription subscribe(Consumer<CacheSnapshot> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    /// The number of current subscribers.
    public int subscribers() {
        return listeners.size();
    }

    /// A registration that [#close] ends.
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
