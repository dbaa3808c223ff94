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
/// @param validationStarted when its latest validation started (it became `processing`, or a stopped
///     server's validation was started again); empty for challenges never validated, and for those stored
///     before this was recorded
public record Challenge(String id, String type, String token, ChallengeStatus status, Optional<Instant> validated,
        Optional<String> error, Optional<Instant> validationStarted) {

    /// A challenge whose validation never started.
    public Challenge(String id, String type, String token, ChallengeStatus status, Optional<Instant> validated,
            Optional<String> error) {
        this(id, type, token, status, validated, error, Optional.empty());
    }

    /// This challenge in another state, keeping when its validation started.
    public Challenge with(ChallengeStatus next, Optional<Instant> validatedAt, Optional<String> problem) {
        return new Challenge(id, type, token, next, validatedAt, problem, validationStarted);
    }

    /// This challenge `processing`, its validation started at `at`.
    public Challenge processingSince(Instant at) {
        return new Challenge(id, type, token, ChallengeStatus.PROCESSING, Optional.empty(), Optional.empty(),
                Optional.of(at));
    }
}
