package io.certwright.agent.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/// When to renew a certificate: at half its lifetime plus a jitter of up to a tenth of it, so that SVIDs
/// issued together are not renewed together.
public final class RenewalPolicy {

    /// Fraction of the lifetime after which renewal starts.
    static final double HALF = 0.5;
    /// Largest jitter, as a fraction of the lifetime.
    static final double MAX_JITTER = 0.1;

    private RenewalPolicy() {
    }

    /// The instant to renew a certificate valid from `notBefore` to `notAfter`.
    ///
    /// The same seed always gives the same instant (the agent derives it from the entry id and a random
    /// number drawn at start-up), and the result lies in `[notBefore + 50 %, notBefore + 60 %)` of the
    /// lifetime. A certificate whose validity is empty or inverted is due at `notBefore`.
    public static Instant renewalTime(Instant notBefore, Instant notAfter, long jitterSeed) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        if (lifetime.isNegative() || lifetime.isZero()) {
            return notBefore;
        }
        double fraction = HALF + MAX_JITTER * new SplittableRandom(jitterSeed).nextDouble();
        long nanos = (long) (lifetime.toNanos() * fraction);
        return notBefore.plusNanos(nanos);
    }
}
