package io.certwright.inventory.alert;

import io.certwright.inventory.Fingerprint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// One message to send: an alert, an escalation, a resolution or a digest.
///
/// @param id stable identifier of this notification (the same on every retry), for receivers to deduplicate
/// @param kind what it is about
/// @param severity how urgent
/// @param escalation whether an earlier, less urgent alert was sent for the same certificate
/// @param owner the owner it is addressed to, if known
/// @param title one line
/// @param certificates the certificates concerned: one for an alert, several for a digest
/// @param createdAt when it was made
public record Notification(String id, AlertKind kind, Severity severity, boolean escalation, Optional<String> owner,
        String title, List<Item> certificates, Instant createdAt) {

    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(title, "title");
        certificates = List.copyOf(certificates);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /// The title followed by one line per certificate; the text of chat messages and emails.
    public String text() {
        StringBuilder b = new StringBuilder(title);
        for (Item item : certificates) {
            b.append('\n').append("- ").append(item.line());
        }
        return b.toString();
    }

    /// One certificate in a notification.
    ///
    /// @param fingerprint its fingerprint
    /// @param subject a short name (common name, SPIFFE ID or first DNS name)
    /// @param status its status wire name
    /// @param notAfter when it expires
    /// @param threshold the expiry threshold crossed, for expiring certificates
    /// @param places where it was seen, for people
    public record Item(Fingerprint fingerprint, String subject, String status, Instant notAfter,
            Optional<Duration> threshold, List<String> places) {

        public Item {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(notAfter, "notAfter");
            Objects.requireNonNull(threshold, "threshold");
            places = List.copyOf(places);
        }

        /// `subject (status, expires 2030-01-01T00:00:00Z) at place, place [fingerprint]`.
        public String line() {
            StringBuilder b = new StringBuilder(subject).append(" (").append(status).append(", expires ")
                    .append(notAfter).append(')');
            if (!places.isEmpty()) {
                b.append(" at ").append(String.join(", ", places));
            }
            return b.append(" [").append(fingerprint.shortHex()).append(']').toString();
        }
    }
}
