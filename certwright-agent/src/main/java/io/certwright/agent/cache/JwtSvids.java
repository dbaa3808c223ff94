package io.certwright.agent.cache;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.certwright.agent.node.NodeClient;
import io.certwright.agent.node.NodeException;
import io.certwright.agent.node.RegistrationEntry;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/// JWT-SVIDs signed by the server, cached per entry and audience until half their lifetime has passed.
///
/// While the server is unavailable a cached token that has not expired is still handed out.
public final class JwtSvids {

    private static final int MAX_CACHED = 10_000;

    private final NodeClient client;
    private final Clock clock;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    public JwtSvids(NodeClient client, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /// A JWT-SVID for `entry` with `audience` (not empty), in compact form.
    ///
    /// @throws NodeException when the server cannot be asked and no unexpired token is cached
    public String fetch(RegistrationEntry entry, List<String> audience) throws NodeException {
        Key key = new Key(entry.id(), entry.revision(), audience.stream().sorted().distinct().toList());
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        if (hit != null && now.isBefore(hit.refreshAt())) {
            return hit.token();
        }
        try {
            String token = client.signJwtSvid(entry.id(), key.audience());
            Cached fresh = parse(token, now);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(key, fresh);
            return token;
        } catch (NodeException e) {
            if (e.retryable() && hit != null && now.isBefore(hit.expiresAt())) {
                return hit.token();
            }
            throw e;
        }
    }

    private static Cached parse(String token, Instant now) throws NodeException {
        try {
            JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
            if (claims.getExpirationTime() == null) {
                throw new NodeException(NodeException.Kind.INVALID, "the server signed a JWT-SVID without exp");
            }
            Instant exp = claims.getExpirationTime().toInstant();
            Instant iat = claims.getIssueTime() == null ? now : claims.getIssueTime().toInstant();
            Duration half = Duration.between(iat, exp).dividedBy(2);
            return new Cached(token, iat.plus(half), exp);
        } catch (ParseException e) {
            throw new NodeException(NodeException.Kind.INVALID, "the server returned a JWT-SVID that does not parse", e);
        }
    }

    private record Key(String entryId, long revision, List<String> audience) {
    }

    private record Cached(String token, Instant refreshAt, Instant expiresAt) {
        @Override
        public String toString() {
            return "Cached[refreshAt=" + refreshAt + ", expiresAt=" + expiresAt + "]";
        }
    }
}
