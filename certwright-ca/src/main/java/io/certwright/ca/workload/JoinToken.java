package io.certwright.ca.workload;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// A one-time join token as stored: it attests the agent of one node, once, before it expires. The
/// secret itself is shown once when the token is made; only its SHA-256 is kept.
///
/// @param id public identifier, `jt_` and 18 hex digits
/// @param node the node name the agent will be attested as
/// @param secretHash hex SHA-256 of the secret
/// @param createdAt when it was made
/// @param expiresAt end of its life
/// @param usedAt when an agent presented it; empty while unused
public record JoinToken(String id, String node, String secretHash, Instant createdAt, Instant expiresAt,
        Optional<Instant> usedAt) {

    public JoinToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(usedAt, "usedAt");
        if (!EntryParent.NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("a node name is 1 to 63 lowercase letters, digits, '.', '_' or '-'");
        }
    }

    @Override
    public String toString() {
        return "JoinToken[" + id + ", node " + node + ", expires " + expiresAt + "]";
    }
}
