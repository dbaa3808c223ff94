package io.certwright.ca.registry;

/// Life-cycle state of a recorded certificate. Expiry is not a state: it follows from `notAfter` and the
/// time of the question.
public enum CertificateStatus {
    /// Recorded before signing; no signed certificate is known (signing failed or the process died).
    PENDING("pending"),
    /// Signed and not revoked.
    VALID("valid"),
    /// Revoked.
    REVOKED("revoked");

    private final String wireName;

    CertificateStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static CertificateStatus parse(String name) {
        for (CertificateStatus s : values()) {
            if (s.wireName.equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown certificate status '" + name + "'");
    }
}
