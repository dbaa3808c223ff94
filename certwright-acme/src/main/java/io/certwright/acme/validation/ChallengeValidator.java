package io.certwright.acme.validation;

import io.certwright.acme.store.Identifier;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/// Checks that a client met a challenge. Never runs on the caller's thread and never throws: every
/// failure, a timeout included, completes the future with [ValidationOutcome.Invalid].
public interface ChallengeValidator {

    /// Starts validating `challengeType` (`http-01`, `dns-01` or `tls-alpn-01`) for `identifier` (a
    /// wildcard's base name for dns-01).
    ///
    /// @param token the challenge token
    /// @param keyAuthorization `token + "." + base64url(JWK thumbprint of the account key)`
    CompletableFuture<ValidationOutcome> validate(Identifier identifier, String challengeType, String token,
            String keyAuthorization);

    /// The longest one validation runs once it has its turn; the server takes a challenge still
    /// `processing` well beyond this for one whose validation a stopped server left unfinished.
    Duration timeLimit();
}
