package io.certwright.acme.engine;

import io.certwright.acme.AcmeProvisionerSettings;
import io.certwright.acme.jws.AccountKey;
import io.certwright.acme.jws.JwsMessage;
import io.certwright.acme.store.Account;
import java.time.Instant;
import java.util.Optional;

/// One request being answered: what was asked, of which provisioner, when, and (once authenticated) by whom.
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

    Call(AcmeRequest request, Route route, AcmeProvisionerSettings provisioner, Urls urls, Instant now) {
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
