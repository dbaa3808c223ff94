package io.certwright.server.http;

import io.certwright.ca.access.AccessException;
import io.certwright.ca.access.AccessStore;
import io.certwright.ca.access.ApiToken;
import io.certwright.ca.access.EnrollmentToken;
import io.certwright.ca.access.Redemption;
import io.certwright.ca.access.Role;
import io.certwright.ca.access.Secret;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditException;
import io.certwright.ca.audit.AuditLog;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Authenticates bearer tokens: the presented secret is hashed, looked up by hash, and compared with the
/// stored hash in constant time. Every failure is audited (actor `anonymous:<address>`) and counted
/// against the source address; an address over the limit gets 429 before its token is even looked at, and
/// each such refusal is audited too.
final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    /// Longest bearer secret looked up; real ones are 47 characters.
    private static final int MAX_SECRET = 256;

    private final AccessStore access;
    private final AuditLog audit;
    private final RateLimiter limiter;

    Authenticator(AccessStore access, AuditLog audit, RateLimiter limiter) {
        this.access = access;
        this.audit = audit;
        this.limiter = limiter;
    }

    /// Establishes the caller a route's access rule needs, or throws the problem to answer with.
    Caller authenticate(Call call, Access rule) throws ProblemException, AccessException {
        Optional<Role> required = rule.role();
        if (required.isEmpty()) {
            return new Caller.Anonymous(call.address());
        }
        refuseIfBlocked(call);
        String header = call.header(HttpHeader.AUTHORIZATION).orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw failed(call, ProblemType.UNAUTHORIZED, "send Authorization: Bearer <token>");
        }
        String presented = header.substring(7).trim();
        if (presented.isEmpty() || presented.length() > MAX_SECRET || !presented.chars().allMatch(c -> c > 32 && c < 127)) {
            throw failed(call, ProblemType.UNAUTHORIZED, "the bearer token is not valid");
        }
        Secret secret = Secret.of(presented);
        Optional<ApiToken> found = access.findToken(secret.hash());
        if (found.isPresent() && secret.matches(found.get().secretHash())) {
            ApiToken token = found.get();
            if (!token.usableAt(call.now())) {
                throw failed(call, token.revoked() ? ProblemType.UNAUTHORIZED : ProblemType.TOKEN_EXPIRED,
                        "the token " + token.id() + (token.revoked() ? " was revoked" : " has expired"));
            }
            if (!token.role().includes(required.get())) {
                auditRefusal("token:" + token.id(), call, "the " + token.role().wireName() + " role may not do this");
                throw new ProblemException(ProblemType.FORBIDDEN, "the " + token.role().wireName()
                        + " role may not " + call.path().replaceFirst("^/api/v1/", "use "));
            }
            return new Caller.Token(token);
        }
        if (rule == Access.OPERATOR_OR_ENROLLMENT) {
            return new Caller.Bearer(secret, call.address());
        }
        throw failed(call, ProblemType.UNAUTHORIZED, "the bearer token is not valid");
    }

    /// Refuses (429, audited) a caller whose address failed to authenticate too often in the last minute.
    void refuseIfBlocked(Call call) throws ProblemException {
        if (limiter.blocked(call.address(), call.now())) {
            String detail = "too many failed authentications from " + call.address() + "; try again in a minute";
            auditRefusal("anonymous:" + call.address(), call, "rate-limited: " + detail);
            throw new ProblemException(ProblemType.RATE_LIMITED, detail);
        }
    }

    /// Redeems an enrollment token: at most once, only before it expires.
    EnrollmentToken redeem(Call call, Secret secret) throws ProblemException, AccessException {
        return switch (access.redeemEnrollment(secret.hash(), call.now())) {
            case Redemption.Redeemed r -> r.token();
            case Redemption.AlreadyUsed u -> throw failed(call, ProblemType.TOKEN_USED,
                    "enrollment token " + u.token().id() + " was used before");
            case Redemption.Expired x -> throw failed(call, ProblemType.TOKEN_EXPIRED,
                    "enrollment token " + x.token().id() + " expired at " + x.token().expiresAt());
            case Redemption.Unknown u -> throw failed(call, ProblemType.UNAUTHORIZED, "the bearer token is not valid");
        };
    }

    /// Audits and counts a failed authentication and returns the problem to throw.
    ProblemException failed(Call call, ProblemType type, String detail) {
        limiter.failed(call.address(), call.now());
        auditRefusal("anonymous:" + call.address(), call, detail);
        return new ProblemException(type, detail);
    }

    private void auditRefusal(String actor, Call call, String reason) {
        try {
            audit.append(AuditEvent.refused(actor, "auth", call.path(), Map.of("reason", reason)));
        } catch (AuditException e) {
            LOG.error("cannot audit a refused authentication from {}: {}", call.address(), e.getMessage());
        }
    }
}
