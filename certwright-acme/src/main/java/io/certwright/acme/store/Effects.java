package io.certwright.acme.store;

import io.certwright.ca.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// What a request writes along with its change of state, in the same transaction: the anti-replay nonce it
/// spends and the audit events recording the change.
///
/// A store method taking effects writes all of it or nothing: when the change is not made (a stale
/// compare-and-set, a conflict) neither the nonce nor the events are written, and when the nonce was spent
/// before, the change is not made either ([AcmeStoreException.Kind#NONCE_USED]). One request's writes thus
/// cost one commit instead of three.
///
/// @param nonce the nonce to mark used, if the request has not spent it yet
/// @param audit the events to append to the audit log, in order
public record Effects(Optional<Effects.Nonce> nonce, List<AuditEvent> audit) {

    /// Nothing besides the change itself.
    public static final Effects NONE = new Effects(Optional.empty(), List.of());

    /// A nonce to mark used, with the expiry after which the store may forget it.
    ///
    /// @param value the nonce as the client sent it
    /// @param expires when it stops being accepted anyway
    public record Nonce(String value, Instant expires) {

        /// Checks that both are given.
        public Nonce {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(expires, "expires");
        }
    }

    /// Copies the list.
    public Effects {
        Objects.requireNonNull(nonce, "nonce");
        audit = List.copyOf(audit);
    }

    /// Only audit events.
    public static Effects audit(List<AuditEvent> events) {
        return new Effects(Optional.empty(), events);
    }

    /// Whether there is nothing to write.
    public boolean isEmpty() {
        return nonce.isEmpty() && audit.isEmpty();
    }
}
