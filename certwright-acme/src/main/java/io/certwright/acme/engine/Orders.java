package io.certwright.acme.engine;

import io.certwright.acme.AcmeCertificate;
import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeIssuerException;
import io.certwright.acme.AcmeJson;
import io.certwright.acme.AcmeProblem;
import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.Identifiers;
import io.certwright.acme.ari.CertificateId;
import io.certwright.acme.jws.AccountKey;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.Authorization;
import io.certwright.acme.store.AuthorizationStatus;
import io.certwright.acme.store.Challenge;
import io.certwright.acme.store.ChallengeStatus;
import io.certwright.acme.store.Effects;
import io.certwright.acme.store.Identifier;
import io.certwright.acme.store.Order;
import io.certwright.acme.store.OrderStatus;
import io.certwright.acme.validation.CaaOutcome;
import io.certwright.acme.validation.ValidationOutcome;
import io.certwright.ca.CsrContents;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Profile;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/// Orders, authorizations and challenges (RFC 8555 sections 7.4 and 7.5): placing an order, reading it,
/// responding to challenges (validation runs on a virtual thread), deactivating authorizations, and
/// finalization.
@SuppressWarnings("ReferenceEquality") // a change function returns its very argument to mean "no change"
final class Orders {

    private static final Logger LOG = LoggerFactory.getLogger(Orders.class);
    private static final List<String> DNS_CHALLENGES = List.of("http-01", "dns-01", "tls-alpn-01");
    private static final List<String> IP_CHALLENGES = List.of("http-01", "tls-alpn-01");
    /// Attempts at storing a replacement order whose holder turns out invalid on a closer look.
    private static final int CREATE_ATTEMPTS = 3;

    private final Engine engine;

    Orders(Engine engine) {
        this.engine = engine;
    }

    // --- new order ------------------------------------------------------------------------------------

    Reply newOrder(Call call) throws AcmeException, AcmeStoreException, AcmeIssuerException {
        Account account = call.account();
        JsonNode p = call.jws().payloadObject();
        List<Identifier> identifiers = identifiers(p, call);
        Optional<Instant> notBefore = instant(p, "notBefore");
        Optional<Instant> notAfter = instant(p, "notAfter");
        Duration ttl = call.provisioner.certificateTtl();
        if (notBefore.isPresent() && notBefore.get().isAfter(call.now)) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "notBefore must not be in the future: certificates "
                    + "start when they are issued");
        }
        if (notAfter.isPresent() && (!notAfter.get().isAfter(call.now) || notAfter.get().isAfter(call.now.plus(ttl)))) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "notAfter must lie within the certificate lifetime of "
                    + io.certwright.core.Durations.format(ttl) + " from now");
        }
        Optional<String> replaces = AcmeJson.string(p, "replaces");
        if (replaces.isPresent()) {
            checkReplaces(call, account, replaces.get(), identifiers);
        }
        var limits = engine.settings.rateLimits();
        String accountKey = "orders:" + account.id();
        String addressKey = "orders-from:" + call.request.remoteAddress();
        engine.rateLimit(accountKey, limits.newOrdersPerAccount(), call.now, "new orders for this account");
        try {
            engine.rateLimit(addressKey, limits.newOrdersPerAddress(), call.now, "new orders from this address");
        } catch (AcmeException e) {
            engine.limits.release(accountKey, call.now);
            throw e;
        }
        List<Authorization> fresh = new ArrayList<>();
        List<String> authzIds = new ArrayList<>();
        boolean allValid = true;
        for (Identifier id : identifiers) {
            boolean wildcard = id.isWildcard();
            Identifier base = wildcard ? Identifier.dns(id.value().substring(2)) : id;
            Optional<Authorization> reuse = engine.store.reusableAuthorization(account.id(), base, wildcard, call.now);
            if (reuse.isPresent()) {
                authzIds.add(reuse.get().id());
                continue;
            }
            allValid = false;
            List<Challenge> challenges = offered(call, id).stream().map(type -> new Challenge(engine.newId(6), type,
                    engine.newId(32), ChallengeStatus.PENDING, Optional.empty(), Optional.empty())).toList();
            Authorization a = new Authorization(engine.newId(16), account.id(), call.provisioner.name(), base,
                    wildcard, AuthorizationStatus.PENDING, call.now.plus(engine.settings.pendingAuthorizationLifetime()),
                    challenges, 1);
            fresh.add(a);
            authzIds.add(a.id());
        }
        Order order = new Order(engine.newId(16), account.id(), call.provisioner.name(),
                allValid ? OrderStatus.READY : OrderStatus.PENDING, call.now.plus(engine.settings.orderLifetime()),
                identifiers, notBefore, notAfter, authzIds, Optional.empty(), Optional.empty(), replaces, call.now, 1);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("identifiers", identifiers.stream().map(Identifier::value).collect(Collectors.joining(",")));
        details.put("new_authorizations", Integer.toString(fresh.size()));
        replaces.ifPresent(r -> details.put("replaces", r));
        try {
            createOrder(order, fresh, call, Engine.event(call, "acme.order.create", order.id(), details));
        } catch (AcmeStoreException e) {
            if (e.kind() == AcmeStoreException.Kind.NONCE_USED || e.kind() == AcmeStoreException.Kind.SIGNER_CHANGED) {
                // Refused as if never authenticated: it does not count against the limits.
                engine.limits.release(accountKey, call.now);
                engine.limits.release(addressKey, call.now);
            }
            throw e;
        }
        return Reply.json(201, Wire.order(order, call.urls)).location(call.urls.order(order.id()));
    }

    private List<Identifier> identifiers(JsonNode p, Call call) throws AcmeException {
        JsonNode list = p.optional("identifiers").filter(JsonNode::isArray).orElseThrow(
                () -> AcmeException.of(AcmeProblemType.MALFORMED, "the order has no 'identifiers' array"));
        if (list.isEmpty()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the order has no identifiers");
        }
        int max = engine.settings.maxIdentifiers();
        if (list.size() > max) {
            throw AcmeException.of(AcmeProblemType.REJECTED_IDENTIFIER, "an order may have at most " + max
                    + " identifiers, not " + list.size());
        }
        Set<Identifier> seen = new LinkedHashSet<>();
        List<AcmeProblem> problems = new ArrayList<>();
        for (JsonNode n : list) {
            if (!n.isObject()) {
                throw AcmeException.of(AcmeProblemType.MALFORMED, "identifiers are objects with 'type' and 'value'");
            }
            String type = AcmeJson.string(n, "type").orElseThrow(() -> AcmeException.of(AcmeProblemType.MALFORMED,
                    "an identifier has no 'type'"));
            String value = AcmeJson.string(n, "value").orElseThrow(() -> AcmeException.of(AcmeProblemType.MALFORMED,
                    "an identifier has no 'value'"));
            Identifier id;
            try {
                id = Identifiers.parse(type, value);
            } catch (AcmeException e) {
                Identifier.Type t = Identifier.Type.fromWire(type);
                problems.add(t == null || value.isEmpty() ? e.problem()
                        : e.problem().about(new Identifier(t, Identifiers.printable(value))));
                continue;
            }
            if (!seen.add(id)) {
                throw AcmeException.of(AcmeProblemType.MALFORMED, "identifier " + id.value() + " appears twice");
            }
            if (!call.provisioner.allows(id)) {
                problems.add(AcmeProblem.of(AcmeProblemType.REJECTED_IDENTIFIER, id.value()
                        + " is not allowed by this directory").about(id));
            } else if (offered(call, id).isEmpty()) {
                problems.add(AcmeProblem.of(AcmeProblemType.REJECTED_IDENTIFIER, (id.isWildcard()
                        ? "wildcard names need the dns-01 challenge" : id.type() == Identifier.Type.IP
                                ? "IP addresses need the http-01 or tls-alpn-01 challenge"
                                : "no challenge type") + ", which this directory does not offer").about(id));
            }
        }
        if (!problems.isEmpty()) {
            AcmeProblem first = problems.getFirst();
            String detail = problems.size() == 1 ? first.detail() : problems.size() + " identifiers were refused: "
                    + problems.stream().map(AcmeProblem::detail).collect(Collectors.joining("; "));
            throw new AcmeException(AcmeProblem.of(first.type(), detail).withSubproblems(problems));
        }
        return List.copyOf(seen);
    }

    /// The challenge types offered for `id`: dns-01 alone for wildcards, http-01 and tls-alpn-01 for IP
    /// addresses, each as far as the provisioner allows.
    private static List<String> offered(Call call, Identifier id) {
        List<String> types = id.isWildcard() ? List.of("dns-01")
                : id.type() == Identifier.Type.IP ? IP_CHALLENGES : DNS_CHALLENGES;
        return types.stream().filter(call.provisioner.challenges()::contains).toList();
    }

    private static Optional<Instant> instant(JsonNode p, String name) throws AcmeException {
        Optional<String> text = AcmeJson.string(p, name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.get()).toInstant());
        } catch (DateTimeParseException e) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "'" + name + "' is not an RFC 3339 date-time");
        }
    }

    /// Stores a new order. The store refuses a second order that is not invalid for one replaced certificate,
    /// whatever races: the loser gets `alreadyReplaced`, with nothing written. The store goes by stored states,
    /// so a holder that is invalid as of now (expired, an authorization failed) is brought up to date and the
    /// order stored after all. The order is stored with the request's nonce and `created`, its audit event.
    private void createOrder(Order order, List<Authorization> fresh, Call call, AuditEvent created)
            throws AcmeException, AcmeStoreException {
        Instant now = call.now;
        Effects effects = call.effects(List.of(created));
        for (int attempt = 1; ; attempt++) {
            try {
                engine.store.createOrder(order, fresh, effects);
                call.written(effects);
                return;
            } catch (AcmeStoreException e) {
                if (e.kind() != AcmeStoreException.Kind.CONFLICT || order.replaces().isEmpty()
                        || attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
                Optional<Order> holder = engine.store.replacingOrder(order.replaces().get());
                if (holder.isPresent() && engine.refresh(holder.get(), now).status() != OrderStatus.INVALID) {
                    throw alreadyReplaced(order.replaces().get(), holder.get());
                }
            }
        }
    }

    private static AcmeException alreadyReplaced(String certificateId, Order holder) {
        return AcmeException.of(AcmeProblemType.ALREADY_REPLACED, "certificate " + certificateId
                + " is already replaced by order " + holder.id());
    }

    /// RFC 9773 section 5: the replaced certificate must be ours, the same account's or share an identifier
    /// with the new order, and not already replaced by another order that is not invalid (checked here for a
    /// clear answer early, and again atomically when the order is stored).
    private void checkReplaces(Call call, Account account, String text, List<Identifier> identifiers)
            throws AcmeException, AcmeStoreException, AcmeIssuerException {
        CertificateId id = CertificateId.parse(text);
        Optional<AcmeCertificate> cert = engine.issuer.find(id.serial());
        if (cert.isEmpty() || !cert.get().issuerKeyId().equals(Optional.of(id.issuerKeyId()))) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "'replaces' names no certificate issued here");
        }
        boolean mine = cert.get().requester().equals(Call.actorOf(account));
        Set<Identifier> names = new HashSet<>(Certificates.identifiers(cert.get().certificate()));
        if (!mine && identifiers.stream().noneMatch(names::contains)) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the replaced certificate belongs to another "
                    + "account and shares no identifier with this order");
        }
        String canonical = id.toString();
        Optional<Order> holder = engine.store.replacingOrder(canonical);
        if (holder.isPresent() && engine.refresh(holder.get(), call.now).status() != OrderStatus.INVALID) {
            throw alreadyReplaced(canonical, holder.get());
        }
    }

    // --- reading ----------------------------------------------------------------------------------------

    Reply order(Call call) throws AcmeException, AcmeStoreException {
        Order o = ownOrder(call);
        postAsGet(call);
        return Reply.json(200, Wire.order(o, call.urls));
    }

    private Order ownOrder(Call call) throws AcmeException, AcmeStoreException {
        Order o = engine.order(call.route.param(), call.now);
        if (!o.accountId().equals(call.account().id())) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the order belongs to another account");
        }
        return o;
    }

    private static void postAsGet(Call call) throws AcmeException {
        if (!call.jws().isPostAsGet()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "this resource is read with POST-as-GET (an empty "
                    + "payload)");
        }
    }

    Reply authorization(Call call) throws AcmeException, AcmeStoreException {
        Authorization a = engine.authorization(call.route.param(), call.now);
        if (!a.accountId().equals(call.account().id())) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the authorization belongs to another account");
        }
        if (call.jws().isPostAsGet()) {
            return Reply.json(200, Wire.authorization(a, call.urls));
        }
        JsonNode p = call.jws().payloadObject();
        if (!AcmeJson.string(p, "status").equals(Optional.of("deactivated"))) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "an authorization can only be updated to status "
                    + "deactivated");
        }
        if (a.status() != AuthorizationStatus.VALID) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "only a valid authorization can be deactivated; this "
                    + "one is " + a.status().wire());
        }
        Authorization done = engine.updateAuthorization(a, current -> current.status() == AuthorizationStatus.VALID
                ? current.with(AuthorizationStatus.DEACTIVATED, current.expires(), current.challenges()) : current,
                call, List.of(Engine.event(call, "acme.authorization.deactivate", a.id(),
                        Map.of("identifier", a.identifier().value()))));
        if (done.status() != AuthorizationStatus.DEACTIVATED) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the authorization became " + done.status().wire());
        }
        return Reply.json(200, Wire.authorization(done, call.urls));
    }

    // --- challenges -------------------------------------------------------------------------------------

    Reply challenge(Call call) throws AcmeException, AcmeStoreException {
        Account account = call.account();
        Authorization a = engine.authorization(call.route.param(), call.now);
        if (!a.accountId().equals(account.id())) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the challenge belongs to another account");
        }
        String challengeId = call.route.params().get(1);
        Challenge c = a.challenge(challengeId).orElseThrow(Route::notFound);
        if (call.jws().isPostAsGet()) {
            return challengeReply(c, a, call);
        }
        call.jws().payloadObject();
        if (c.status() != ChallengeStatus.PENDING || a.status() != AuthorizationStatus.PENDING) {
            return challengeReply(c, a, call);
        }
        String limitKey = failureKey(account.id(), a.identifier());
        int limit = engine.settings.rateLimits().failedValidationsPerAccountIdentifier();
        Optional<Duration> blocked = engine.limits.blocked(limitKey, limit, call.now);
        if (blocked.isPresent()) {
            throw engine.rateLimited("failed validations for " + a.identifier().value(), limit, blocked.get());
        }
        Authorization started = engine.updateAuthorization(a, current -> {
            Optional<Challenge> cur = current.challenge(challengeId);
            if (current.status() != AuthorizationStatus.PENDING || cur.isEmpty()
                    || cur.get().status() != ChallengeStatus.PENDING
                    || current.challenges().stream().anyMatch(x -> x.status() == ChallengeStatus.PROCESSING)) {
                return current;
            }
            return current.with(current.status(), current.expires(), replace(current.challenges(),
                    cur.get().processingSince(call.now)));
        }, call, List.of(Engine.event(call, "acme.challenge.respond", a.id() + "/" + challengeId,
                Map.of("identifier", a.identifier().value(), "type", c.type()))));
        Challenge now = started.challenge(challengeId).orElseThrow();
        if (started != a && now.status() == ChallengeStatus.PROCESSING) {
            String keyAuthorization = now.token() + "." + call.key().thumbprint();
            Optional<Future<Authorization>> validation = startValidation(started, now, keyAuthorization,
                    call.actor());
            Optional<Authorization> after = validation.flatMap(this::awaited);
            if (after.isPresent()) {
                // Validated within the wait: answer with the outcome, so the client need not poll for it.
                Optional<Challenge> outcome = after.get().challenge(challengeId);
                if (outcome.isPresent()) {
                    return challengeReply(outcome.get(), after.get(), call);
                }
            }
        }
        return challengeReply(now, started, call);
    }

    /// Waits up to the settings' challenge answer wait for `validation`: the authorization it left, if it
    /// ended in that time.
    private Optional<Authorization> awaited(Future<Authorization> validation) {
        Duration wait = engine.settings.challengeAnswerWait();
        if (wait.isZero()) {
            return Optional.empty();
        }
        try {
            return Optional.of(validation.get(wait.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException | ExecutionException | CancellationException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /// Validates `challenge` (now `processing` on `started`, as stored) on a virtual thread of the server's,
    /// then records the outcome; the future gives the authorization as it then stands.
    Optional<Future<Authorization>> startValidation(Authorization started, Challenge challenge,
            String keyAuthorization, String actor) {
        try {
            return Optional.of(engine.validations.submit(() -> validate(started, challenge, keyAuthorization,
                    actor)));
        } catch (RejectedExecutionException e) {
            LOG.warn("challenge validation not started: the ACME server is closing");
            return Optional.empty();
        }
    }

    private static Reply challengeReply(Challenge c, Authorization a, Call call) {
        return Reply.json(200, Wire.challenge(c, a.id(), call.urls)).link(call.urls.authz(a.id()), "up");
    }

    private static String failureKey(String accountId, Identifier identifier) {
        return "failed:" + accountId + ":" + identifier.type().wire() + ":" + identifier.value();
    }

    static List<Challenge> replace(List<Challenge> all, Challenge next) {
        return all.stream().map(c -> c.id().equals(next.id()) ? next : c).toList();
    }

    /// Runs on a virtual thread: asks the validator, then records the outcome on the challenge and its
    /// authorization, and returns the authorization as it then stands; the order's state follows on its next
    /// read.
    private Authorization validate(Authorization started, Challenge challenge, String keyAuthorization,
            String actor) throws InterruptedException, AcmeStoreException {
        Identifier identifier = started.identifier();
        ValidationOutcome outcome;
        try {
            outcome = engine.validator.validate(identifier, challenge.type(), challenge.token(), keyAuthorization)
                    .get();
        } catch (ExecutionException | RuntimeException e) {
            LOG.warn("challenge validator failed for {}: {}", identifier.value(), e.toString());
            outcome = new ValidationOutcome.Invalid(AcmeProblemType.SERVER_INTERNAL, "the validation failed "
                    + "unexpectedly");
        }
        try {
            return apply(started, challenge.id(), outcome, actor);
        } catch (AcmeStoreException | RuntimeException e) {
            LOG.error("cannot record the validation of {} ({}): {}", identifier.value(), started.id(), e.toString());
            throw e;
        }
    }

    /// Records `outcome` on a challenge still `processing` and on its authorization, and audits it; `known`
    /// is the authorization as last read or written (a stale copy costs a re-read). Returns the authorization
    /// as it then stands.
    Authorization apply(Authorization known, String challengeId, ValidationOutcome outcome, String actor)
            throws AcmeStoreException {
        String authzId = known.id();
        String accountId = known.accountId();
        Instant now = engine.clock.instant();
        Authorization before = engine.refresh(known, now);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("identifier", before.identifier().value());
        details.put("challenge", challengeId);
        AuditEvent event = switch (outcome) {
            case ValidationOutcome.Valid v -> AuditEvent.success(actor, "acme.challenge.validate", authzId, details);
            case ValidationOutcome.Invalid i -> {
                details.put("type", i.type().urn());
                details.put("detail", Identifiers.printable(i.detail()));
                yield AuditEvent.refused(actor, "acme.challenge.validate", authzId, details);
            }
        };
        // The outcome and its audit event are written together.
        Authorization after = engine.updateAuthorization(before, current -> {
            Optional<Challenge> c = current.challenge(challengeId);
            if (current.status() != AuthorizationStatus.PENDING || c.isEmpty()
                    || c.get().status() != ChallengeStatus.PROCESSING) {
                return current;
            }
            return switch (outcome) {
                case ValidationOutcome.Valid v -> current.with(AuthorizationStatus.VALID,
                        now.plus(engine.settings.validAuthorizationLifetime()), replace(current.challenges(),
                                c.get().with(ChallengeStatus.VALID, Optional.of(now), Optional.empty())));
                case ValidationOutcome.Invalid i -> current.with(AuthorizationStatus.INVALID, current.expires(),
                        replace(current.challenges(), c.get().with(ChallengeStatus.INVALID, Optional.empty(),
                                Optional.of(Wire.store(AcmeProblem.of(i.type(), i.detail()))))));
            };
        }, Effects.audit(List.of(event)), null);
        if (after != before && outcome instanceof ValidationOutcome.Invalid) {
            engine.limits.record(failureKey(accountId, after.identifier()), now);
        }
        return after;
    }

    // --- finalization -----------------------------------------------------------------------------------

    Reply finalizeOrder(Call call) throws AcmeException, AcmeStoreException {
        Account account = call.account();
        Order stored = engine.store.order(call.route.param()).orElseThrow(Route::notFound);
        if (!stored.accountId().equals(account.id())) {
            throw AcmeException.of(AcmeProblemType.UNAUTHORIZED, "the order belongs to another account");
        }
        // Its state as of now, not stored yet: a pending order whose authorizations are all valid goes
        // straight to processing below, in one write.
        Order o = engine.current(stored, call.now);
        if (o.status() != OrderStatus.READY) {
            throw AcmeException.of(AcmeProblemType.ORDER_NOT_READY, "the order is "
                    + engine.refresh(stored, call.now).status().wire() + ", not ready");
        }
        JsonNode p = call.jws().payloadObject();
        String csrText = AcmeJson.string(p, "csr").orElseThrow(() -> AcmeException.of(AcmeProblemType.MALFORMED,
                "the finalize request has no 'csr'"));
        byte[] der = AcmeJson.base64Url(csrText, "'csr'");
        CsrContents csr = checkCsr(der, o, call.key());
        Optional<Order> processing = engine.updateOrder(stored, current -> current.status() == OrderStatus.READY
                || (current.version() == stored.version() && current.status() == OrderStatus.PENDING)
                ? current.with(OrderStatus.PROCESSING, Optional.empty(), Optional.empty()) : current, call, List.of());
        if (processing.isEmpty()) {
            throw AcmeException.of(AcmeProblemType.ORDER_NOT_READY, "the order is no longer ready");
        }
        Optional<AcmeProblem> caaRefusal = call.provisioner.caaIdentities().isEmpty() ? Optional.empty()
                : caaRefusal(o.identifiers(), call.provisioner.caaIdentities());
        if (caaRefusal.isPresent()) {
            engine.updateOrder(processing.get(), current -> current.status() == OrderStatus.PROCESSING
                    ? current.with(OrderStatus.INVALID, Optional.of(Wire.store(caaRefusal.get())), Optional.empty())
                    : current);
            throw new AcmeException(caaRefusal.get());
        }
        Duration lifetime = call.provisioner.certificateTtl();
        if (o.notAfter().isPresent() && Duration.between(call.now, o.notAfter().get()).compareTo(lifetime) < 0) {
            lifetime = Duration.between(call.now, o.notAfter().get());
        }
        IssuedCertificate issued;
        try {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new AcmeIssuerException(AcmeIssuerException.Kind.REFUSED, "the order's notAfter has passed");
            }
            issued = engine.issuer.issue(csr, call.provisioner.name(), o.identifiers(), lifetime,
                    new Requester(Call.actorOf(account), "acme:" + call.provisioner.name()));
        } catch (AcmeIssuerException e) {
            AcmeProblem problem = e.kind() == AcmeIssuerException.Kind.REFUSED
                    ? AcmeProblem.of(AcmeProblemType.BAD_CSR, "the CA refused the request: " + e.getMessage())
                    : AcmeProblem.of(AcmeProblemType.SERVER_INTERNAL, "the certificate could not be issued; place "
                            + "a new order later");
            engine.updateOrder(processing.get(), current -> current.status() == OrderStatus.PROCESSING
                    ? current.with(OrderStatus.INVALID, Optional.of(Wire.store(problem)), Optional.empty())
                    : current);
            if (e.kind() == AcmeIssuerException.Kind.UNAVAILABLE) {
                LOG.error("ACME issuance for order {} failed: {}", o.id(), e.toString());
            }
            throw new AcmeException(problem);
        }
        String serial = issued.serial().hex();
        AuditEvent finalized = Engine.event(call, "acme.order.finalize", o.id(), Map.of("serial", serial,
                "identifiers", o.identifiers().stream().map(Identifier::value).collect(Collectors.joining(","))));
        Order valid = engine.updateOrder(processing.get(), current -> current.status() == OrderStatus.PROCESSING
                ? current.with(OrderStatus.VALID, Optional.empty(), Optional.of(serial)) : current, call,
                List.of(finalized))
                .orElseThrow(() -> new AcmeStoreException(AcmeStoreException.Kind.UNAVAILABLE, "order " + o.id()
                        + " left processing while its certificate " + serial + " was issued"));
        return Reply.json(200, Wire.order(valid, call.urls)).location(call.urls.order(o.id()));
    }

    /// RFC 8659 for every DNS identifier, checked at once (IP addresses have no CAA records): the `caa`
    /// problem to refuse issuance with, one subproblem per identifier refused (`caa` when the records forbid
    /// issuance, `dns` when they could not be read).
    private Optional<AcmeProblem> caaRefusal(List<Identifier> identifiers, List<String> caaIdentities) {
        Map<Identifier, CompletableFuture<CaaOutcome>> checks = new LinkedHashMap<>();
        for (Identifier id : identifiers) {
            if (id.type() == Identifier.Type.DNS) {
                checks.put(id, engine.caa.check(id, caaIdentities));
            }
        }
        List<AcmeProblem> problems = new ArrayList<>();
        for (Map.Entry<Identifier, CompletableFuture<CaaOutcome>> check : checks.entrySet()) {
            Identifier id = check.getKey();
            CaaOutcome outcome;
            try {
                outcome = check.getValue().join();
            } catch (CompletionException | CancellationException e) {
                LOG.warn("the CAA check of {} failed: {}", id.value(), e.toString());
                outcome = new CaaOutcome.LookupFailed("the CAA check of " + id.value() + " failed unexpectedly");
            }
            switch (outcome) {
                case CaaOutcome.Permitted p -> {
                    // issuance allowed for this identifier
                }
                case CaaOutcome.Forbidden f -> problems.add(AcmeProblem.of(AcmeProblemType.CAA, f.detail()).about(id));
                case CaaOutcome.LookupFailed f -> problems.add(AcmeProblem.of(AcmeProblemType.DNS, f.detail())
                        .about(id));
            }
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        String detail = problems.size() == 1 ? problems.getFirst().detail() : "CAA checks refused issuance for "
                + problems.size() + " identifiers: " + problems.stream().map(AcmeProblem::detail)
                        .collect(Collectors.joining("; "));
        return Optional.of(AcmeProblem.of(AcmeProblemType.CAA, detail).withSubproblems(problems));
    }

    /// RFC 8555 section 7.4: the CSR must name exactly the order's identifiers (as DNS and IP SANs, a common
    /// name being one of them) and must not be signed by the account key. Returns what it read, for the CA.
    private static CsrContents checkCsr(byte[] der, Order order, AccountKey accountKey) throws AcmeException {
        CsrContents csr;
        try {
            csr = CsrContents.read(der, Profile.SERVER);
        } catch (PolicyException | RuntimeException e) {
            throw AcmeException.of(AcmeProblemType.BAD_CSR, "the CSR does not parse or verify: " + e.getMessage());
        }
        if (!csr.names().uris().isEmpty() || !csr.names().emails().isEmpty()) {
            throw AcmeException.of(AcmeProblemType.BAD_CSR, "the CSR asks for URI or email names; an ACME order "
                    + "certifies DNS names and IP addresses only");
        }
        Set<Identifier> requested = new LinkedHashSet<>();
        csr.names().dns().forEach(d -> requested.add(Identifier.dns(d)));
        for (InetAddress ip : csr.names().ips()) {
            requested.add(Identifier.ip(Identifiers.canonical(ip)));
        }
        Set<Identifier> ordered = new LinkedHashSet<>(order.identifiers());
        List<AcmeProblem> problems = new ArrayList<>();
        for (Identifier id : ordered) {
            if (!requested.contains(id)) {
                problems.add(AcmeProblem.of(AcmeProblemType.BAD_CSR, "the CSR does not ask for " + id.value())
                        .about(id));
            }
        }
        for (Identifier id : requested) {
            if (!ordered.contains(id)) {
                problems.add(AcmeProblem.of(AcmeProblemType.BAD_CSR, "the CSR asks for " + id.value()
                        + ", which the order does not name").about(id));
            }
        }
        if (!problems.isEmpty()) {
            throw new AcmeException(AcmeProblem.of(AcmeProblemType.BAD_CSR, "the CSR must name exactly the order's "
                    + "identifiers: " + problems.stream().map(AcmeProblem::detail).collect(Collectors.joining("; ")))
                    .withSubproblems(problems));
        }
        if (csr.commonName().isPresent()) {
            String cn = csr.commonName().get();
            boolean named = ordered.stream().anyMatch(id -> id.value().equalsIgnoreCase(cn)
                    || (id.type() == Identifier.Type.IP && ipEquals(cn, id.value())));
            if (!named) {
                throw AcmeException.of(AcmeProblemType.BAD_CSR, "the CSR's common name '"
                        + Identifiers.printable(cn) + "' is not one of the order's identifiers");
            }
        }
        if (accountKey.sameKey(csr.publicKey())) {
            throw AcmeException.of(AcmeProblemType.BAD_CSR, "the certificate key must not be the account key");
        }
        return csr;
    }

    private static boolean ipEquals(String text, String canonical) {
        try {
            return Identifiers.canonical(io.certwright.ca.policy.IpRange.parseLiteral(text)).equals(canonical);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
