package io.certwright.inventory.alert;

import java.time.Duration;

/// Waits between delivery attempts. Injected so tests advance a clock instead of sleeping.
@FunctionalInterface
public interface Sleeper {

    /// Waits for `duration`.
    void sleep(Duration duration) throws InterruptedException;

    /// Sleeps the current thread (a virtual thread in the server).
    static Sleeper threadSleep() {
        return Thread::sleep;
    }
}
