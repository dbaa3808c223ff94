package io.certwright.acme.engine;

import io.certwright.acme.AcmeProvisionerSettings;
import io.certwright.acme.jws.AccountKey;
import io.certwright.acme.jws.JwsMessage;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.Effects;
import io.certwright.ca.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// One request being answered: what was asked, of which provisioner, when, (once authenticated) by whom, and
/// whether its nonce is spent yet.
///
/// A signed request's nonce is checked when it is authenticated but spent with the request's first write
/// ([#effects]), in the same transaction, or, when the request writes nothing, before it is answered.
final class Call {

    final AcmeRequest request;
    final Route route;
    final AcmeProvisionerSettings provisioner;
    final Urls urls;
    final Instant now;
    private String actor;
    private Optional<Account> account = Optional.empty();
    private Optional<AccountKey> key = Optional.empty();
    private Optional<JwsMessage> jws = Optional.empty();
    private Optional<Effects.Nonce> unspent = Optional.empty();
    /// Whether the signing account must be read from the store, not taken from the engine's cache.
    final boolean freshAccount;

    Call(AcmeRequest request, Route route, AcmeProvisionerSettings provisioner, Urls urls, Instant now,
            boolean freshAccount) {
        this.freshAccount = freshAccount;
        this.request = request;
        this.route = route;
        this.provisioner = provisioner;
        this.urls = urls;
        this.now = now;
        this.actor = "anonymous:" + request.remoteAddress();
    }

    /// The audit actor of an account.
    static String actorOf(Account account) {
        return "acme:" + account.provisioner() + ":" + account.id();
    }

    void authenticated(JwsMessage message, AccountKey signer, Optional<Account> signedBy) {
        this.jws = Optional.of(message);
        this.key = Optional.of(signer);
        this.account = signedBy;
        signedBy.ifPresent(a -> this.actor = actorOf(a));
    }

    /// Remembers the checked nonce of the request, to be spent with its first write.
    void nonce(Effects.Nonce nonce) {
        this.unspent = Optional.of(nonce);
    }

    /// What the request's next write carries: its nonce if not spent yet, and `events`. Pass the result
    /// to [#written] once the write is made.
    Effects effects(List<AuditEvent> events) {
        return new Effects(unspent, events);
    }

    /// What a refusal of the request writes: its nonce if not spent yet, without its signer (a refusal is
    /// recorded whatever became of the account), and `events`.
    Effects refusalEffects(List<AuditEvent> events) {
        return new Effects(unspent.map(Effects.Nonce::unsigned), events);
    }

    /// Notes that `effects` (from [#effects]) were written: the nonce they carried is spent.
    void written(Effects effects) {
        if (effects.nonce().isPresent() && unspent.isPresent()
                && effects.nonce().get().value().equals(unspent.get().value())) {
            unspent = Optional.empty();
        }
    }

    /// Drops the nonce without spending it: it was found used before, or cannot be spent.
    void forgetNonce() {
        unspent = Optional.empty();
    }

    /// Whether the request's nonce is still to be spent.
    boolean nonceUnspent() {
        return unspent.isPresent();
    }

    String actor() {
        return actor;
    }

    /// The account that signed the request (KID requests).
    Account account() {
        return account.orElseThrow(() -> new IllegalStateException("not an account request"));
    }

    Optional<Account> optionalAccount() {
        return account;
    }

    /// The key that signed the request.
    AccountKey key() {
        return key.orElseThrow(() -> new IllegalStateException("not a signed request"));
    }

    /// The verified JWS.
    JwsMessage jws() {
        return jws.orElseThrow(() -> new IllegalStateException("not a signed request"));
    }
}
