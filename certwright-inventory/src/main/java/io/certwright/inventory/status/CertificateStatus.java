package io.certwright.inventory.status;

import java.util.Locale;

/// The status of one certificate. When several apply, the first in declaration order wins: a revoked
/// certificate is `revoked` even when it has also expired, and an expired one that has been replaced
/// everywhere is `replaced`.
public enum CertificateStatus {
    /// Revoked by its issuer.
    REVOKED("revoked", 0),
    /// Superseded: everywhere it was seen, a newer certificate covering all its names is served now; or, for a
    /// certificate Certwright issued that was never seen anywhere, Certwright has issued a newer one for the same
    /// identity.
    REPLACED("replaced", 1),
    /// Past its notAfter.
    EXPIRED("expired", 2),
    /// Issued by Certwright, past its renewal point, and no newer certificate was issued for the same identity.
    RENEWAL_OVERDUE("renewal-overdue", 3),
    /// Within the largest expiry threshold of its notAfter.
    EXPIRING("expiring", 4),
    /// None of the above.
    OK("ok", 5);

    private static final CertificateStatus[] VALUES = values();

    private final String wireName;
    private final int code;

    CertificateStatus(String wireName, int code) {
        this.wireName = wireName;
        this.code = code;
    }

    /// A small number, unique per status and equal to its position in [#values()], for compact arrays.
    int code() {
        return code;
    }

    /// The name used in reports, the API and metric labels.
    public String wireName() {
        return wireName;
    }

    /// The status with this wire name.
    ///
    /// @throws IllegalArgumentException for an unknown name
    public static CertificateStatus fromWireName(String name) {
        for (CertificateStatus s : VALUES) {
            if (s.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown certificate status '" + name + "'");
    }

    static CertificateStatus ofCode(int code) {
        return VALUES[code];
    }

    /// Whether this status needs nobody's attention any more (revoked or replaced).
    public boolean settled() {
        return this == REVOKED || this == REPLACED;
    }
}
