package io.certwright.ca.revocation;

import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.SerialNumber;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/// One revoked certificate as a CRL lists it, with the certificate's expiry so that entries can drop off
/// the CRL once the certificate is long expired.
///
/// @param serial the certificate's serial number
/// @param revokedAt when it was revoked
/// @param reason why; `unspecified` is written as no reason code, as RFC 5280 §5.3.1 asks
/// @param notAfter when the certificate expires (or expired)
public record CrlEntry(SerialNumber serial, Instant revokedAt, RevocationReason reason, Instant notAfter) {

    public CrlEntry {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    /// Whether this entry still belongs on a CRL issued at `thisUpdate`: its certificate has not been
    /// expired for longer than `grace`. An expired certificate fails validation on its own, so listing it
    /// only grows the CRL; the grace keeps it listed a little longer for relying parties whose clocks lag.
    public boolean listedAt(Instant thisUpdate, Duration grace) {
        return !notAfter.plus(grace).isBefore(thisUpdate);
    }

    /// [#listedAt] as a filter, for `entries.filter(CrlEntry.notExpiredBeyond(thisUpdate, grace))`.
    ///
    /// @throws IllegalArgumentException when `grace` is negative
    public static Predicate<CrlEntry> notExpiredBeyond(Instant thisUpdate, Duration grace) {
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative");
        }
        return e -> e.listedAt(thisUpdate, grace);
    }
}
