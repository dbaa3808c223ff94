package io.certwright.acme.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.certwright.acme.AcmeAudit;
import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeIssuer;
import io.certwright.acme.AcmeProblem;
import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.AcmeSettings;
import io.certwright.acme.jws.Nonces;
import io.certwright.acme.jws.StoredAccountKeys;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.Authorization;
import io.certwright.acme.store.AuthorizationStatus;
import io.certwright.acme.store.Effects;
import io.certwright.acme.store.Order;
import io.certwright.acme.store.OrderStatus;
import io.certwright.acme.validation.CaaChecker;
import io.certwright.acme.validation.ChallengeValidator;
import io.certwright.ca.audit.AuditEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/// What every handler shares: the ports, the clock, the rate limiters, and the state rules of orders and
/// authorizations (RFC 8555 section 7.1.6) applied on read.
@SuppressWarnings("ReferenceEquality") // a change function returns its very argument to mean "no change"
final class Engine {

    /// Compare-and-set attempts before giving up on a hot object.
    private static final int CAS_ATTEMPTS = 20;
    /// Most accounts kept in [#accountCache].
    static final int ACCOUNT_CACHE_SIZE = 10_000;

    final AcmeSettings settings;
    final AcmeStore store;
    final AcmeIssuer issuer;
    final ChallengeValidator validator;
    final CaaChecker caa;
    final AcmeAudit audit;
    final Clock clock;
    final SecureRandom random;
    final Nonces nonces;
    final StoredAccountKeys accountKeys = new StoredAccountKeys();
    /// Accounts by id as last read, to authenticate requests without reading the account each time; safe
    /// across replicas because every signed request spends its nonce only while its signer is still valid
    /// with the signing key ([Effects.Nonce#signer]).
    final Cache<String, Account> accountCache = Caffeine.newBuilder().maximumSize(ACCOUNT_CACHE_SIZE).build();
    final RateLimiter limits;
    final ExecutorService validations;

    Engine(AcmeSettings settings, AcmeStore store, AcmeIssuer issuer, ChallengeValidator validator, CaaChecker caa,
            AcmeAudit audit, Clock clock, SecureRandom random, ExecutorService validations) {
        this.settings = settings;
        this.store = store;
        this.issuer = issuer;
        this.validator = validator;
        this.caa = caa;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.nonces = new Nonces(store, clock, settings.nonceLifetime(), random);
        this.limits = new RateLimiter(settings.rateLimits().window());
        this.validations = validations;
    }

    /// A random identifier of `bytes` random bytes, base64url.
    String newId(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /// A success event of `call`'s actor.
    static AuditEvent event(Call call, String action, String target, Map<String, String> details) {
        return AuditEvent.success(call.actor(), action, target, details);
    }

    /// Audits a success whose change is written already; with the request's nonce when it is still unspent
    /// (one transaction for both).
    void success(Call call, String action, String target, Map<String, String> details)
            throws AcmeStoreException {
        AuditEvent event = event(call, action, target, details);
        if (call.nonceUnspent()) {
            write(call, List.of(event));
        } else {
            audit.record(event);
        }
    }

    /// Spends the request's nonce now if it is still unspent: for a request about to do something outside
    /// the ACME store that a replay must not repeat.
    void spendNonce(Call call) throws AcmeStoreException {
        if (call.nonceUnspent()) {
            write(call, List.of());
        }
    }

    private void write(Call call, List<AuditEvent> events) throws AcmeStoreException {
        Effects effects = call.effects(events);
        store.record(effects);
        call.written(effects);
    }

    /// A `rateLimited` refusal if `key` is over `limit`, counting this event otherwise.
    void rateLimit(String key, int limit, Instant now, String what) throws AcmeException {
        Optional<Duration> wait = limits.acquire(key, limit, now);
        if (wait.isPresent()) {
            throw rateLimited(what, limit, wait.get());
        }
    }

    AcmeException rateLimited(String what, int limit, Duration wait) {
        return new AcmeException(AcmeProblem.of(AcmeProblemType.RATE_LIMITED, "too many " + what + ": at most "
                + limit + " per " + io.certwright.core.Durations.format(settings.rateLimits().window())
                + "; retry after " + retrySeconds(wait) + " seconds"), Optional.empty(), Optional.of(wait));
    }

    static long retrySeconds(Duration wait) {
        return Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
    }

    // --- authorizations and orders, with their state on read -----------------------------------------

    Authorization authorization(String id, Instant now) throws AcmeException, AcmeStoreException {
        Authorization a = store.authorization(id).orElseThrow(Route::notFound);
        return refresh(a, now);
    }

    /// The authorization as of `now`: pending or valid past its expiry reads as expired, and is stored so.
    Authorization refresh(Authorization a, Instant now) throws AcmeStoreException {
        return updateAuthorization(a, current -> {
            boolean live = current.status() == AuthorizationStatus.PENDING
                    || current.status() == AuthorizationStatus.VALID;
            return live && !now.isBefore(current.expires())
                    ? current.with(AuthorizationStatus.EXPIRED, current.expires(), current.challenges())
                    : current;
        });
    }

    /// Applies `change` to the stored authorization with compare-and-set, re-reading when another writer won.
    /// `change` returns its argument unchanged to stop.
    Authorization updateAuthorization(Authorization first, UnaryOperator<Authorization> change)
            throws AcmeStoreException {
        return updateAuthorization(first, change, Effects.NONE, null);
    }

    /// [#updateAuthorization(Authorization, UnaryOperator)] for `call`: the change, when made, carries the
    /// request's unspent nonce and `events` in its transaction.
    Authorization updateAuthorization(Authorization first, UnaryOperator<Authorization> change, Call call,
            List<AuditEvent> events) throws AcmeStoreException {
        return updateAuthorization(first, change, call.effects(events), call);
    }

    /// [#updateAuthorization(Authorization, UnaryOperator)] writing `effects` with the change when it is made.
    Authorization updateAuthorization(Authorization first, UnaryOperator<Authorization> change, Effects effects,
            @Nullable Call call) throws AcmeStoreException {
        Authorization current = first;
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Authorization next = change.apply(current);
            if (next == current) {
                return next;
            }
            if (store.updateAuthorization(next, effects)) {
                if (call != null) {
                    call.written(effects);
                }
                return next;
            }
            Optional<Authorization> reread = store.authorization(current.id());
            if (reread.isEmpty()) {
                return current;
            }
            current = reread.get();
        }
        throw new AcmeStoreException(AcmeStoreException.Kind.UNAVAILABLE, "authorization " + first.id()
                + " keeps changing");
    }

    Order order(String id, Instant now) throws AcmeException, AcmeStoreException {
        Order o = store.order(id).orElseThrow(Route::notFound);
        return refresh(o, now);
    }

    /// The order as of `now` (RFC 8555 section 7.1.6): a pending or ready order is invalid once it or one of
    /// its authorizations expired or failed, ready when all its authorizations are valid, pending otherwise.
    /// A changed state is stored.
    Order refresh(Order first, Instant now) throws AcmeStoreException {
        Order current = first;
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            if (current.status() != OrderStatus.PENDING && current.status() != OrderStatus.READY) {
                return current;
            }
            Order next = derive(current, now);
            if (next == current || store.updateOrder(next)) {
                return next;
            }
            Optional<Order> reread = store.order(current.id());
            if (reread.isEmpty()) {
                return current;
            }
            current = reread.get();
        }
        throw new AcmeStoreException(AcmeStoreException.Kind.UNAVAILABLE, "order " + first.id() + " keeps changing");
    }

    /// The order as of `now`, as [#refresh] decides it, without storing a changed state.
    Order current(Order o, Instant now) throws AcmeStoreException {
        return o.status() == OrderStatus.PENDING || o.status() == OrderStatus.READY ? derive(o, now) : o;
    }

    private Order derive(Order o, Instant now) throws AcmeStoreException {
        if (!now.isBefore(o.expires())) {
            return o.with(OrderStatus.INVALID, Optional.of(Wire.store(AcmeProblem.of(AcmeProblemType.MALFORMED,
                    "the order expired at " + o.expires() + " before it was finalized"))), Optional.empty());
        }
        List<Authorization> authzs = new ArrayList<>();
        for (String id : o.authorizationIds()) {
            Optional<Authorization> a = store.authorization(id);
            if (a.isEmpty()) {
                return o.with(OrderStatus.INVALID, Optional.of(Wire.store(AcmeProblem.of(
                        AcmeProblemType.SERVER_INTERNAL, "authorization " + id + " is missing"))), Optional.empty());
            }
            authzs.add(refresh(a.get(), now));
        }
        for (Authorization a : authzs) {
            switch (a.status()) {
                case INVALID, EXPIRED, DEACTIVATED, REVOKED -> {
                    Optional<String> why = a.challenges().stream().flatMap(c -> c.error().stream()).findFirst();
                    String fallback = Wire.store(AcmeProblem.of(AcmeProblemType.UNAUTHORIZED, "the authorization for "
                            + a.identifier().value() + " is " + a.status().wire()));
                    return o.with(OrderStatus.INVALID, Optional.of(why.orElse(fallback)), Optional.empty());
                }
                case PENDING, VALID -> {
                    // decided below
                }
            }
        }
        boolean allValid = authzs.stream().allMatch(a -> a.status() == AuthorizationStatus.VALID);
        OrderStatus next = allValid ? OrderStatus.READY : OrderStatus.PENDING;
        return next == o.status() ? o : o.with(next, o.error(), o.certificateSerial());
    }

    /// Applies `change` to the stored order with compare-and-set; empty when another writer changed it first
    /// and `change` no longer applies (returns its argument).
    Optional<Order> updateOrder(Order first, UnaryOperator<Order> change) throws AcmeStoreException {
        return updateOrder(first, change, Effects.NONE, null);
    }

    /// [#updateOrder(Order, UnaryOperator)] for `call`: the change, when made, carries the request's unspent
    /// nonce and `events` in its transaction.
    Optional<Order> updateOrder(Order first, UnaryOperator<Order> change, Call call, List<AuditEvent> events)
            throws AcmeStoreException {
        return updateOrder(first, change, call.effects(events), call);
    }

    private Optional<Order> updateOrder(Order first, UnaryOperator<Order> change, Effects effects,
            @Nullable Call call) throws AcmeStoreException {
        Order current = first;
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Order next = change.apply(current);
            if (next == current) {
                return Optional.empty();
            }
            if (store.updateOrder(next, effects)) {
                if (call != null) {
                    call.written(effects);
                }
                return Optional.of(next);
            }
            Optional<Order> reread = store.order(current.id());
            if (reread.isEmpty()) {
                return Optional.empty();
            }
            current = reread.get();
        }
        throw new AcmeStoreException(AcmeStoreException.Kind.UNAVAILABLE, "order " + first.id() + " keeps changing");
    }
}
