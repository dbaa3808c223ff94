package io.certwright.server.http;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/// Counts failed authentications per source address in fixed one-minute windows; an address that reached
/// the limit in the current window is refused until the next one.
final class RateLimiter {

    /// Addresses tracked at most; older windows are dropped first when the map grows past it.
    private static final int MAX_ADDRESSES = 100_000;

    private record Window(long minute, int failures) {
    }

    private final int limit;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(int failuresPerMinute) {
        this.limit = failuresPerMinute;
    }

    boolean blocked(String address, Instant now) {
        Window w = windows.get(address);
        return w != null && w.minute() == minute(now) && w.failures() >= limit;
    }

    void failed(String address, Instant now) {
        long m = minute(now);
        if (windows.size() > MAX_ADDRESSES) {
            windows.values().removeIf(w -> w.minute() != m);
        }
        windows.merge(address, new Window(m, 1),
                (old, one) -> old.minute() == m ? new Window(m, old.failures() + 1) : one);
    }

    private static long minute(Instant now) {
        return now.getEpochSecond() / 60;
    }
}
