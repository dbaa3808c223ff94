package io.certwright.acme.engine;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.AccountStatus;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.Authorization;
import io.certwright.acme.store.Challenge;
import io.certwright.acme.validation.ValidationOutcome;
import io.certwright.ca.audit.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Validates again the challenges that a stopped server left `processing`.
///
/// A challenge is `processing` from the client's response until its validation ends, and RFC 8555 section
/// 7.1.6 lets it end only `valid` or `invalid`. A server that crashes, restarts or closes while validating
/// leaves it `processing`, and the client would poll it in vain until the authorization expires. Every
/// challenge records when its validation started; one still `processing` longer than the validator's time
/// limit plus [#MARGIN] is validated by no live replica any more. Such a challenge is claimed with a
/// compare-and-set on its authorization that records a new start, so of several replicas sweeping at once
/// exactly one validates it again, on the same path and with the same limits as a client's response.
@SuppressWarnings("ReferenceEquality") // the claim is ours when the stored authorization is the one we proposed
final class StalledValidations {

    /// What a validation may take beyond the validator's time limit before it counts as stalled: the
    /// time between the move to `processing` and the validation's start, a wait for a turn, recording the
    /// outcome, and clocks of replicas that differ a little.
    static final Duration MARGIN = Duration.ofMinutes(1);

    /// The audit action of a restarted validation.
    static final String ACTION = "acme.challenge.restart";

    private static final Logger LOG = LoggerFactory.getLogger(StalledValidations.class);
    private static final int PAGE = 100;
    private static final int MAX_PAGES = 20;

    private final Engine engine;
    private final Orders orders;

    StalledValidations(Engine engine, Orders orders) {
        this.engine = engine;
        this.orders = orders;
    }

    /// One sweep: claims and validates again every stalled challenge (up to 2000 a sweep); returns how many
    /// it claimed.
    int restart() throws AcmeStoreException {
        Instant now = engine.clock.instant();
        Instant startedBefore = now.minus(engine.validator.timeLimit()).minus(MARGIN);
        int claimed = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            // Each authorization listed is claimed here, by another replica, or finished: either way it is
            // not listed again, so the next page holds others.
            List<Authorization> stalled = engine.store.stalledValidations(startedBefore, now, PAGE);
            for (Authorization a : stalled) {
                try {
                    if (restart(a, startedBefore, now)) {
                        claimed++;
                    }
                } catch (AcmeStoreException | RuntimeException e) {
                    LOG.error("cannot restart the stalled validation of authorization {}: {}", a.id(), e.toString());
                }
            }
            if (stalled.size() < PAGE) {
                break;
            }
        }
        if (claimed > 0) {
            LOG.info("validating {} challenge(s) again that a stopped server left processing", claimed);
        }
        return claimed;
    }

    /// [#restart()] for the scheduler: logs a failure instead of throwing, which would cancel the schedule.
    void restartQuietly() {
        try {
            restart();
        } catch (AcmeStoreException | RuntimeException e) {
            LOG.error("cannot look for stalled challenge validations: {}", e.toString());
        }
    }

    private boolean restart(Authorization first, Instant startedBefore, Instant now) throws AcmeStoreException {
        AtomicReference<@Nullable Authorization> proposed = new AtomicReference<>();
        AtomicReference<@Nullable Challenge> before = new AtomicReference<>();
        Authorization stored = engine.updateAuthorization(first, current -> {
            Optional<Challenge> c = current.stalledChallenge(startedBefore, now);
            if (c.isEmpty()) {
                proposed.set(null);
                return current;
            }
            Authorization next = current.with(current.status(), current.expires(),
                    Orders.replace(current.challenges(), c.get().processingSince(now)));
            before.set(c.get());
            proposed.set(next);
            return next;
        });
        Challenge was = before.get();
        if (stored != proposed.get() || was == null) {
            return false; // finished, expired or claimed by another replica meanwhile
        }
        Challenge challenge = stored.challenge(was.id()).orElseThrow();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("identifier", stored.identifier().value());
        details.put("challenge", challenge.id());
        details.put("type", challenge.type());
        details.put("stalled_since", was.validationStarted().map(Instant::toString).orElse("unknown"));
        engine.audit.record(AuditEvent.success("system", ACTION, stored.id(), details));
        Optional<Account> account = engine.store.account(stored.accountId());
        String actor = account.map(Call::actorOf).orElse("acme:" + stored.provisioner() + ":" + stored.accountId());
        if (account.isEmpty() || account.get().status() != AccountStatus.VALID) {
            String why = account.isEmpty() ? "no longer exists" : "is " + account.get().status().wire();
            orders.apply(stored, challenge.id(), new ValidationOutcome.Invalid(AcmeProblemType.UNAUTHORIZED,
                    "the validation was interrupted and the account " + why), actor);
            return true;
        }
        String keyAuthorization = challenge.token() + "." + account.get().keyThumbprint();
        orders.startValidation(stored, challenge, keyAuthorization, actor);
        return true;
    }
}
