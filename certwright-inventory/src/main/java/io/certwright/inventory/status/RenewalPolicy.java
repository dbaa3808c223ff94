package io.certwright.inventory.status;

/// When a certificate Certwright issued should have been renewed: once the given fraction of its lifetime has
/// passed (by default two thirds, so a 90-day certificate is overdue for renewal 60 days in).
///
/// @param fraction of the lifetime after which renewal is due, above 0 and below 1
public record RenewalPolicy(double fraction) {

    public RenewalPolicy {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("renewal fraction must be between 0 and 1, exclusive");
        }
    }

    /// Renewal due after two thirds of the lifetime.
    public static RenewalPolicy defaults() {
        return new RenewalPolicy(2.0 / 3.0);
    }

    /// The renewal point, in epoch seconds, of a certificate valid from `notBefore` to `notAfter` (epoch seconds).
    public long renewalPointSeconds(long notBefore, long notAfter) {
        return notBefore + (long) ((double) (notAfter - notBefore) * fraction);
    }
}
