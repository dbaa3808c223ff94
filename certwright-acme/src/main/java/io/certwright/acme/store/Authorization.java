package io.certwright.acme.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// An authorization: the proof, to be given through one of its challenges, that an account controls an
/// identifier.
///
/// @param id the authorization's identifier (the last segment of its URL)
/// @param accountId the account it belongs to
/// @param provisioner the ACME provisioner it was made under
/// @param identifier the identifier, without the `*.` of a wildcard
/// @param wildcard whether the order asked for the wildcard of the identifier
/// @param status the authorization's state
/// @param expires when it expires (pending: a short time; valid: the reuse period)
/// @param challenges its challenges
/// @param version bumped by every update
public record Authorization(String id, String accountId, String provisioner, Identifier identifier, boolean wildcard,
        AuthorizationStatus status, Instant expires, List<Challenge> challenges, long version) {

    /// Copies the challenge list.
    public Authorization {
        challenges = List.copyOf(challenges);
    }

    /// The challenge with `challengeId`, if this authorization has it.
    public Optional<Challenge> challenge(String challengeId) {
        return challenges.stream().filter(c -> c.id().equals(challengeId)).findFirst();
    }

    /// The challenge whose validation stalled, if any: this authorization is pending and unexpired at `now`,
    /// and the challenge has been `processing` since before `startedBefore` or since a time not recorded.
    public Optional<Challenge> stalledChallenge(Instant startedBefore, Instant now) {
        if (status != AuthorizationStatus.PENDING || !expires.isAfter(now)) {
            return Optional.empty();
        }
        return challenges.stream().filter(c -> c.status() == ChallengeStatus.PROCESSING
                && c.validationStarted().map(t -> t.isBefore(startedBefore)).orElse(true)).findFirst();
    }

    /// This authorization with a new state, expiry and challenge list, one version later.
    public Authorization with(AuthorizationStatus next, Instant nextExpires, List<Challenge> nextChallenges) {
        return new Authorization(id, accountId, provisioner, identifier, wildcard, next, nextExpires, nextChallenges,
                version + 1);
    }
}
