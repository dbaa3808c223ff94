package io.certwright.inventory.report;

import java.time.Duration;
import java.util.Objects;

/// What the compliance report counts as a problem.
///
/// @param maxLifetime longest acceptable validity period of a leaf certificate
/// @param minRsaBits smallest acceptable RSA modulus
/// @param minEcBits smallest acceptable elliptic-curve order
public record ReportPolicy(Duration maxLifetime, int minRsaBits, int minEcBits) {

    public ReportPolicy {
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (maxLifetime.isNegative() || maxLifetime.isZero() || minRsaBits < 0 || minEcBits < 0) {
            throw new IllegalArgumentException("report policy values must be positive");
        }
    }

    /// 398 days (the CA/Browser Forum limit for public TLS certificates), RSA 2048, EC 256.
    public static ReportPolicy defaults() {
        return new ReportPolicy(Duration.ofDays(398), 2048, 256);
    }
}
