package io.certwright.acme.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/// Counts events per key in fixed windows that start with a key's first event.
///
/// The counts live in this replica's memory: with several replicas each enforces its limits on its own,
/// so a client spreading requests over `n` replicas gets up to `n` times the limit; a restart forgets them.
final class RateLimiter {

    /// Keys tracked at most; when more, windows that ended are dropped.
    private static final int MAX_KEYS = 100_000;

    private record Window(Instant start, int count) {
    }

    private final Duration window;
    private final Map<String, Window> windows = new HashMap<>();

    RateLimiter(Duration window) {
        this.window = window;
    }

    /// Counts one event for `key` unless `limit` events were counted in its current window already; then
    /// answers how long until the window ends.
    synchronized Optional<Duration> acquire(String key, int limit, Instant now) {
        Optional<Duration> blocked = blocked(key, limit, now);
        if (blocked.isEmpty()) {
            record(key, now);
        }
        return blocked;
    }

    /// How long `key` stays blocked, if it has reached `limit` in its current window.
    synchronized Optional<Duration> blocked(String key, int limit, Instant now) {
        Window w = windows.get(key);
        if (w == null || !now.isBefore(w.start().plus(window)) || w.count() < limit) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, w.start().plus(window)));
    }

    /// Takes back one event counted for `key` in its current window: the request it counted was refused
    /// before it changed anything (its nonce was used before, or its account changed).
    synchronized void release(String key, Instant now) {
        Window w = windows.get(key);
        if (w != null && now.isBefore(w.start().plus(window)) && w.count() > 0) {
            windows.put(key, new Window(w.start(), w.count() - 1));
        }
    }

    /// Counts one event for `key`.
    synchronized void record(String key, Instant now) {
        if (windows.size() >= MAX_KEYS) {
            windows.values().removeIf(w -> !now.isBefore(w.start().plus(window)));
        }
        Window w = windows.get(key);
        if (w == null || !now.isBefore(w.start().plus(window))) {
            windows.put(key, new Window(now, 1));
        } else {
            windows.put(key, new Window(w.start(), w.count() + 1));
        }
    }
}
