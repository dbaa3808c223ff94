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

    /// A nonce to mark used, with the expiry after which the store may forget it, and the account that
    /// signed the request when it names one.
    ///
    /// With a signer the nonce is spent only while that account is still `valid` and still has the key that
    /// signed the request; otherwise nothing is written ([AcmeStoreException.Kind#SIGNER_CHANGED]). A server
    /// can thus authenticate a request with an account it read earlier (another replica may have deactivated
    /// it or rolled its key over since) and still never act on a stale one: the check is made in the
    /// transaction that spends the nonce, which every signed request does before it is answered. The account
    /// is checked as the change leaves it, so a change of the signing account itself (a deactivation, a key
    /// change) carries no signer: the compare-and-set on the account's version refuses a stale one.
    ///
    /// @param value the nonce as the client sent it
    /// @param expires when it stops being accepted anyway
    /// @param signer the account whose key signed the request, for requests signed with `kid`
    public record Nonce(String value, Instant expires, Optional<Signer> signer) {

        /// Checks that all are given.
        public Nonce {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(expires, "expires");
            Objects.requireNonNull(signer, "signer");
        }

        /// A nonce of a request that no account signed (new-account, revocation by certificate key).
        public Nonce(String value, Instant expires) {
            this(value, expires, Optional.empty());
        }

        /// The same nonce without its signer.
        public Nonce unsigned() {
            return signer.isEmpty() ? this : new Nonce(value, expires);
        }
    }

    /// The account that signed a request, as the request was authenticated.
    ///
    /// @param accountId the account's id
    /// @param keyThumbprint the RFC 7638 thumbprint of the key that signed the request
    public record Signer(String accountId, String keyThumbprint) {

        /// Checks that both are given.
        public Signer {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(keyThumbprint, "keyThumbprint");
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
