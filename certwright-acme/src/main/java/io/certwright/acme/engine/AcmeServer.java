package io.certwright.acme.engine;

import io.certwright.acme.AcmeAudit;
import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeIssuer;
import io.certwright.acme.AcmeIssuerException;
import io.certwright.acme.AcmeProblem;
import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.AcmeProvisionerSettings;
import io.certwright.acme.AcmeSettings;
import io.certwright.acme.Identifiers;
import io.certwright.acme.jws.AccountKey;
import io.certwright.acme.jws.JwsMessage;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.AccountStatus;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.Effects;
import io.certwright.acme.validation.CaaChecker;
import io.certwright.acme.validation.ChallengeValidator;
import io.certwright.ca.audit.AuditEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The ACME server (RFC 8555, with RFC 8738 IP identifiers and RFC 9773 renewal information): answers one
/// request at a time, from any thread, with state kept in the shared [AcmeStore] so that any number of
/// replicas can serve one set of clients.
///
/// Request authentication follows RFC 8555 section 6.2 to 6.5 in this order: media type
/// (`application/jose+json`, else 415) and size (else 413); the flattened JWS and its algorithm; the
/// nonce's MAC and expiry (`badNonce`); the `url` header against the request URL (`unauthorized`); the key
/// (`jwk` for new-account and revoke-cert only, `kid` naming a valid account of this provisioner
/// otherwise); the signature (`malformed`); and last the nonce's single use, recorded in the store, so a
/// request that fails any check before writes nothing at all.
///
/// Challenge validation runs on virtual threads owned by this server; [#close] stops them. A validation
/// that a stopped server (this one or another replica) left unfinished is started again: while it is
/// constructed and then every minute on a virtual thread, this server looks for challenges `processing`
/// for longer than the validator's time limit plus a minute, whose authorization is pending and unexpired,
/// and validates them again (of several replicas, one does: the claim is a compare-and-set).
///
/// When a provisioner has `caaIdentities`, finalization checks the CAA records of every DNS identifier of
/// the order first (RFC 8659, with the given [CaaChecker]) and refuses with `caa` (the order becomes
/// invalid) when they forbid issuance or cannot be read. Without `caaIdentities` no CAA record is looked
/// up: the CA has no name that CAA records could grant.
public final class AcmeServer implements AutoCloseable {

    /// How often the server looks for stalled challenge validations.
    static final Duration STALLED_VALIDATION_SWEEP = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(AcmeServer.class);
    private static final String JOSE_JSON = "application/jose+json";
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Engine engine;
    private final Map<String, AcmeProvisionerSettings> provisioners;
    private final Accounts accounts;
    private final Orders orders;
    private final Certificates certificates;
    private final StalledValidations stalled;
    private final ScheduledExecutorService sweeps;

    /// A server for the given provisioners.
    ///
    /// @param settings the server-wide settings
    /// @param provisioners the ACME provisioners, by distinct name
    /// @param store the shared ACME state
    /// @param issuer how certificates are issued, found and revoked
    /// @param validator how challenges are validated
    /// @param caa how CAA records are checked before issuance, for provisioners with `caaIdentities`
    /// @param audit where refusals and changes are recorded
    /// @param clock the time
    /// @param random randomness for identifiers, tokens and nonces
    public AcmeServer(AcmeSettings settings, List<AcmeProvisionerSettings> provisioners, AcmeStore store,
            AcmeIssuer issuer, ChallengeValidator validator, CaaChecker caa, AcmeAudit audit, Clock clock,
            SecureRandom random) {
        this(settings, provisioners, store, issuer, validator, caa, audit, clock, random, STALLED_VALIDATION_SWEEP);
    }

    /// A server that looks for stalled validations every `sweepPeriod`.
    AcmeServer(AcmeSettings settings, List<AcmeProvisionerSettings> provisioners, AcmeStore store,
            AcmeIssuer issuer, ChallengeValidator validator, CaaChecker caa, AcmeAudit audit, Clock clock,
            SecureRandom random, Duration sweepPeriod) {
        Objects.requireNonNull(settings, "settings");
        this.provisioners = provisioners.stream().collect(Collectors.toUnmodifiableMap(
                AcmeProvisionerSettings::name, Function.identity()));
        ExecutorService validations = Executors.newVirtualThreadPerTaskExecutor();
        this.engine = new Engine(settings, Objects.requireNonNull(store, "store"), Objects.requireNonNull(issuer,
                "issuer"), Objects.requireNonNull(validator, "validator"), Objects.requireNonNull(caa, "caa"),
                Objects.requireNonNull(audit, "audit"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(random, "random"), validations);
        this.accounts = new Accounts(engine);
        this.orders = new Orders(engine);
        this.certificates = new Certificates(engine);
        this.stalled = new StalledValidations(engine, orders);
        // The first sweep before the server answers anything; it only starts validations, which run on.
        stalled.restartQuietly();
        this.sweeps = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("acme-stalled-validations").factory());
        var unused = sweeps.scheduleWithFixedDelay(stalled::restartQuietly, sweepPeriod.toMillis(),
                sweepPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    /// Looks for stalled challenge validations once, now, and starts them again; returns how many.
    int restartStalledValidations() throws AcmeStoreException {
        return stalled.restart();
    }

    /// Answers one request. Never throws: bad input is answered with a 4xx problem document, a failing
    /// store or CA with `serverInternal` (500).
    public AcmeResponse handle(AcmeRequest request) {
        return handle(request, false);
    }

    /// Answers one request, taking the signing account from the cache of accounts unless `freshAccount`.
    private AcmeResponse handle(AcmeRequest request, boolean freshAccount) {
        Reply reply;
        Optional<Urls> urls = Optional.empty();
        Call call = null;
        try {
            Route route = Route.parse(request.path());
            AcmeProvisionerSettings provisioner = provisioners.get(route.provisioner());
            if (provisioner == null) {
                throw new AcmeException(AcmeProblem.of(AcmeProblemType.MALFORMED, "no ACME directory named '"
                        + Identifiers.printable(route.provisioner()) + "'").withStatus(404));
            }
            urls = Optional.of(new Urls(engine.settings.baseUrl(), provisioner.name()));
            call = new Call(request, route, provisioner, urls.get(), engine.clock.instant(), freshAccount);
            try {
                reply = dispatch(call);
                // A request that wrote nothing spends its nonce now, before it is answered.
                engine.spendNonce(call);
            } finally {
                if (!route.resource().cachesAccount()) {
                    // Account updates, deactivations and key changes: the cached copy is stale now.
                    call.optionalAccount().ifPresent(a -> engine.accountCache.invalidate(a.id()));
                }
            }
        } catch (AcmeException e) {
            reply = refuse(call, request, e);
        } catch (AcmeStoreException | AcmeIssuerException e) {
            if (call != null && e instanceof AcmeStoreException s && s.kind() == AcmeStoreException.Kind.NONCE_USED) {
                call.forgetNonce();
                reply = refuse(call, request, AcmeException.of(AcmeProblemType.BAD_NONCE, "the nonce was used before"));
            } else if (call != null && e instanceof AcmeStoreException s
                    && s.kind() == AcmeStoreException.Kind.SIGNER_CHANGED) {
                // Another replica deactivated the account or changed its key since it was cached here; nothing
                // was written. Answer as if the account had been read now: authenticate against the store.
                call.optionalAccount().ifPresent(a -> engine.accountCache.invalidate(a.id()));
                if (!freshAccount) {
                    return handle(request, true);
                }
                reply = refuse(call, request, AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the account changed "
                        + "while the request was answered; retry"));
            } else {
                LOG.error("ACME {} {} failed: {}", request.method(), Identifiers.printable(request.path()),
                        e.toString());
                spendQuietly(call);
                reply = problem(AcmeException.of(AcmeProblemType.SERVER_INTERNAL, "the server could not complete "
                        + "the request; retry later"));
            }
        } catch (RuntimeException e) {
            LOG.error("ACME {} {} failed unexpectedly", request.method(), Identifiers.printable(request.path()), e);
            spendQuietly(call);
            reply = problem(AcmeException.of(AcmeProblemType.SERVER_INTERNAL, "the server could not complete the "
                    + "request"));
        }
        try {
            reply.header("Replay-Nonce", engine.nonces.next());
        } catch (AcmeStoreException | RuntimeException e) {
            LOG.error("cannot make a nonce: {}", e.toString());
        }
        if (urls.isPresent()) {
            reply.link(urls.get().directory(), "index");
        }
        return reply.build();
    }

    /// The answer to a refused request, audited; the refusal spends the request's nonce if it is unspent, in
    /// the same transaction, and a nonce found used before turns the answer into `badNonce`.
    private Reply refuse(@Nullable Call call, AcmeRequest request, AcmeException e) {
        String actor = call == null ? "anonymous:" + request.remoteAddress() : call.actor();
        String action = call == null ? "acme.request" : call.route.resource().action();
        AuditEvent event = refusal(actor, action, request, e.problem());
        if (call != null && call.nonceUnspent()) {
            try {
                engine.store.record(call.refusalEffects(List.of(event)));
                return problem(e);
            } catch (AcmeStoreException s) {
                call.forgetNonce();
                if (s.kind() == AcmeStoreException.Kind.NONCE_USED) {
                    AcmeException replayed = AcmeException.of(AcmeProblemType.BAD_NONCE, "the nonce was used before");
                    record(refusal(actor, action, request, replayed.problem()));
                    return problem(replayed);
                }
                LOG.error("cannot spend the nonce of a refused ACME request: {}", s.toString());
            }
        }
        record(event);
        return problem(e);
    }

    /// Spends the nonce of a request that failed on the server's side, if it is unspent and the store can.
    private void spendQuietly(@Nullable Call call) {
        if (call == null || !call.nonceUnspent()) {
            return;
        }
        try {
            engine.store.record(call.refusalEffects(List.of()));
            call.forgetNonce();
        } catch (AcmeStoreException | RuntimeException e) {
            LOG.error("cannot spend the nonce of a failed ACME request: {}", e.toString());
        }
    }

    private Reply dispatch(Call call) throws AcmeException, AcmeStoreException, AcmeIssuerException {
        Route.Resource resource = call.route.resource();
        String method = call.request.method();
        if (!resource.methods().contains(method)) {
            throw new AcmeException(AcmeProblem.of(AcmeProblemType.MALFORMED, "method " + method + " is not "
                    + "allowed here; use " + String.join(" or ", resource.methods().stream().sorted().toList()))
                    .withStatus(405));
        }
        if (resource.auth() != Route.Auth.NONE) {
            authenticate(call);
        }
        return switch (resource) {
            case DIRECTORY -> Reply.json(200, Wire.directory(call.provisioner, call.urls));
            case NEW_NONCE -> Reply.empty("HEAD".equals(method) ? 200 : 204).header("Cache-Control", "no-store");
            case NEW_ACCOUNT -> accounts.newAccount(call);
            case ACCOUNT -> accounts.account(call);
            case ORDERS -> accounts.orders(call);
            case KEY_CHANGE -> accounts.keyChange(call);
            case NEW_ORDER -> orders.newOrder(call);
            case ORDER -> orders.order(call);
            case FINALIZE -> orders.finalizeOrder(call);
            case AUTHZ -> orders.authorization(call);
            case CHALLENGE -> orders.challenge(call);
            case CERTIFICATE -> certificates.download(call);
            case REVOKE_CERT -> certificates.revoke(call);
            case RENEWAL_INFO -> certificates.renewalInfo(call);
        };
    }

    private void authenticate(Call call) throws AcmeException, AcmeStoreException {
        AcmeRequest request = call.request;
        String type = request.header("Content-Type").orElse("");
        String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!JOSE_JSON.equals(mediaType)) {
            throw new AcmeException(AcmeProblem.of(AcmeProblemType.MALFORMED, "requests must have Content-Type "
                    + JOSE_JSON).withStatus(415));
        }
        if (request.bodyLength() > engine.settings.maxBodyBytes()) {
            throw new AcmeException(AcmeProblem.of(AcmeProblemType.MALFORMED, "the request body is larger than "
                    + engine.settings.maxBodyBytes() + " bytes").withStatus(413));
        }
        JwsMessage jws = JwsMessage.parse(request.body());
        String nonce = jws.headerString("nonce").orElseThrow(() -> AcmeException.of(AcmeProblemType.BAD_NONCE,
                "the protected header has no nonce"));
        Instant nonceExpires = engine.nonces.check(nonce);
        String url = jws.headerString("url").orElseThrow(() -> AcmeException.of(AcmeProblemType.MALFORMED,
                "the protected header has no url"));
        if (!url.equals(call.urls.of(request.path()))) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the JWS url '" + Identifiers.printable(url)
                    + "' is not the URL of this request");
        }
        Optional<String> kid = jws.headerString("kid");
        boolean hasJwk = jws.jwk().isPresent();
        if (kid.isPresent() == hasJwk) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the protected header must have exactly one of "
                    + "'jwk' and 'kid'");
        }
        Route.Auth auth = call.route.resource().auth();
        if (hasJwk && auth == Route.Auth.KID) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "this request must be signed by an account key "
                    + "named with 'kid', not 'jwk'");
        }
        if (kid.isPresent() && auth == Route.Auth.JWK) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "new-account requests carry the key as 'jwk', not "
                    + "'kid'");
        }
        if (hasJwk) {
            AccountKey key = AccountKey.parse(jws.jwk().orElseThrow().toString());
            jws.verify(key);
            // Spent with the request's first write, in its transaction, or before the answer (see Call).
            call.nonce(new Effects.Nonce(nonce, nonceExpires));
            call.authenticated(jws, key, Optional.empty());
            return;
        }
        Account account = signer(call, jws, kid.orElseThrow());
        // Spent only while the account is still valid with this key (see Effects.Nonce); requests that change
        // the account read it from the store and change it by compare-and-set instead.
        Optional<Effects.Signer> signer = call.route.resource().cachesAccount()
                ? Optional.of(new Effects.Signer(account.id(), account.keyThumbprint())) : Optional.empty();
        call.nonce(new Effects.Nonce(nonce, nonceExpires, signer));
        call.authenticated(jws, engine.accountKeys.of(account.jwk()), Optional.of(account));
    }

    /// The account that signed `jws` with the key its `kid` names, the signature checked: the cached copy when
    /// the request may use it and the signature verifies with its key, else the account read from the store
    /// (and cached for the next request).
    private Account signer(Call call, JwsMessage jws, String kid) throws AcmeException, AcmeStoreException {
        boolean cacheable = !call.freshAccount && call.route.resource().cachesAccount();
        Optional<String> id = call.urls.accountId(kid);
        if (cacheable && id.isPresent()) {
            Account cached = engine.accountCache.getIfPresent(id.get());
            if (cached != null && cached.provisioner().equals(call.provisioner.name())) {
                try {
                    jws.verify(engine.accountKeys.of(cached.jwk()));
                    return cached;
                } catch (AcmeException e) {
                    // Perhaps another replica changed the account's key: read it again.
                    engine.accountCache.invalidate(id.get());
                }
            }
        }
        Account account = accountOf(call, kid);
        jws.verify(engine.accountKeys.of(account.jwk()));
        if (cacheable) {
            engine.accountCache.put(account.id(), account);
        }
        return account;
    }

    private Account accountOf(Call call, String kid) throws AcmeException, AcmeStoreException {
        Optional<String> id = call.urls.accountId(kid);
        Optional<Account> a = (id.isEmpty() ? Optional.<Account>empty() : engine.store.account(id.get()))
                .filter(x -> x.provisioner().equals(call.provisioner.name()));
        if (a.isEmpty()) {
            throw AcmeException.of(AcmeProblemType.ACCOUNT_DOES_NOT_EXIST, "no account '"
                    + Identifiers.printable(kid) + "' in this directory");
        }
        if (a.get().status() != AccountStatus.VALID) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the account is " + a.get().status().wire());
        }
        return a.get();
    }

    private static AuditEvent refusal(String actor, String action, AcmeRequest request, AcmeProblem problem) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("type", problem.type().urn());
        details.put("status", Integer.toString(problem.status()));
        details.put("detail", Identifiers.printable(problem.detail()));
        details.put("method", request.method());
        details.put("address", request.remoteAddress());
        return AuditEvent.refused(actor, action, Identifiers.printable(request.path()), details);
    }

    private void record(AuditEvent event) {
        try {
            engine.audit.record(event);
        } catch (RuntimeException e) {
            LOG.error("cannot audit a refused ACME request: {}", e.toString());
        }
    }

    private static Reply problem(AcmeException e) {
        Reply r = Reply.problem(e.problem().status(), Wire.problem(e.problem()));
        e.location().ifPresent(r::location);
        e.retryAfter().ifPresent(w -> r.header("Retry-After", Long.toString(Engine.retrySeconds(w))));
        return r;
    }

    /// Stops looking for stalled validations (letting a sweep under way finish) and stops challenge
    /// validations in progress, waiting up to 10 seconds for each; challenges being validated stay
    /// `processing` until a server on the same store starts their validation again.
    @Override
    public void close() {
        sweeps.shutdown();
        awaitStopped(sweeps);
        engine.validations.shutdownNow();
        awaitStopped(engine.validations);
    }

    /// Waits up to 10 seconds for `executor` to stop, then interrupts what still runs.
    private static void awaitStopped(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
