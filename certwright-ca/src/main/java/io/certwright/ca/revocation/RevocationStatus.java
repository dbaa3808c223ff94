package io.certwright.ca.revocation;

import io.certwright.ca.registry.RevocationReason;
import java.time.Instant;
import java.util.Objects;

/// What the CA knows about one certificate, as OCSP reports it
/// ([RFC 6960 §2.2](https://www.rfc-editor.org/rfc/rfc6960#section-2.2)).
public sealed interface RevocationStatus {

    /// Issued by this CA and not revoked (whether or not it has expired).
    record Good() implements RevocationStatus {
    }

    /// Revoked.
    ///
    /// @param revokedAt when
    /// @param reason why
    record Revoked(Instant revokedAt, RevocationReason reason) implements RevocationStatus {
        public Revoked {
            Objects.requireNonNull(revokedAt, "revokedAt");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /// Not a certificate this CA knows of.
    record Unknown() implements RevocationStatus {
    }

    static RevocationStatus good() {
        return new Good();
    }

    static RevocationStatus revoked(Instant at, RevocationReason reason) {
        return new Revoked(at, reason);
    }

    static RevocationStatus unknown() {
        return new Unknown();
    }
}
