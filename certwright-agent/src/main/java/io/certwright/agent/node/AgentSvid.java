package io.certwright.agent.node;

import java.security.PrivateKey;
import java.util.Objects;

/// The agent's SVID with its private key: what a [NodeClient] presents in mutual TLS.
///
/// @param identity the SVID and the roots
/// @param privateKey the key the SVID certifies; never printed
public record AgentSvid(AgentIdentity identity, PrivateKey privateKey) {

    public AgentSvid {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public String toString() {
        return "AgentSvid[" + identity.spiffeId() + ", serial " + identity.leaf().getSerialNumber().toString(16)
                + ", notAfter " + identity.leaf().getNotAfter().toInstant() + "]";
    }
}
