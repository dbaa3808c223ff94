package io.certwright.ca.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// An API token as stored: never the secret, only its hash.
///
/// @param id public identifier, used as the audit actor `token:<id>`
/// @param name what it is for
/// @param role what it may do
/// @param secretHash hex SHA-256 of the secret
/// @param createdAt when it was made
/// @param expiresAt when it stops working, if ever
/// @param revoked whether it was withdrawn
public record ApiToken(String id, String name, Role role, String secretHash, Instant createdAt,
        Optional<Instant> expiresAt, boolean revoked) {

    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
    }

    /// Whether the token may be used at `now`.
    public boolean usableAt(Instant now) {
        return !revoked && expiresAt.map(now::isBefore).orElse(true);
    }

    @Override
    public String toString() {
        return "ApiToken[" + id + ", " + name + ", " + role.wireName() + (revoked ? ", revoked" : "") + "]";
    }
}
