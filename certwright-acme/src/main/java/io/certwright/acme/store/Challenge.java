package io.certwright.acme.store;

import java.time.Instant;
import java.util.Optional;

/// A challenge of an authorization.
///
/// @param id unique among the challenges of its authorization
/// @param type `http-01`, `dns-01` or `tls-alpn-01`
/// @param token the random token (base64url, at least 128 bits of entropy)
/// @param status the challenge's state
/// @param validated when it became valid
/// @param error the problem document (JSON) that made it invalid
public record Challenge(String id, String type, String token, ChallengeStatus status, Optional<Instant> validated,
        Optional<String> error) {

    /// This challenge in another state.
    public Challenge with(ChallengeStatus next, Optional<Instant> validatedAt, Optional<String> problem) {
        return new Challenge(id, type, token, next, validatedAt, problem);
    }
}
