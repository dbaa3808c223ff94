package io.certwright.inventory.alert;

import io.certwright.inventory.Fingerprint;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/// A pause of alerts for one certificate or one owner until a given instant. Silenced alerts are not claimed,
/// so when the silence ends, the alert that is then due goes out.
///
/// @param id identifier, to remove it early
/// @param target what is silenced
/// @param until when the silence ends
/// @param reason why, for the record
public record Silence(UUID id, Target target, Instant until, String reason) {

    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reason, "reason");
    }

    /// Whether this silence covers a certificate with this fingerprint and owner at `now`.
    public boolean covers(Fingerprint fingerprint, Optional<String> owner, Instant now) {
        if (!now.isBefore(until)) {
            return false;
        }
        return switch (target) {
            case CertificateTarget c -> c.fingerprint().equals(fingerprint);
            case OwnerTarget o -> owner.filter(o.owner()::equals).isPresent();
        };
    }

    /// What a silence applies to.
    public sealed interface Target permits CertificateTarget, OwnerTarget {
    }

    /// One certificate.
    ///
    /// @param fingerprint its fingerprint
    public record CertificateTarget(Fingerprint fingerprint) implements Target {
    }

    /// Every certificate of one owner.
    ///
    /// @param owner the owner
    public record OwnerTarget(String owner) implements Target {
    }
}
