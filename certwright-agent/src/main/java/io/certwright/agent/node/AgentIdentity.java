package io.certwright.agent.node;

import io.certwright.core.SpiffeId;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/// The agent's own X.509 SVID as the server issued it.
///
/// @param spiffeId the agent's SPIFFE ID
/// @param chain the agent SVID, leaf first, followed by the intermediates; never empty
/// @param roots the trust domain's root certificates, to verify the server with
public record AgentIdentity(SpiffeId spiffeId, List<X509Certificate> chain, List<X509Certificate> roots) {

    public AgentIdentity {
        Objects.requireNonNull(spiffeId, "spiffeId");
        chain = List.copyOf(chain);
        roots = List.copyOf(roots);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("an agent identity needs its certificate");
        }
    }

    /// The agent's certificate.
    public X509Certificate leaf() {
        return chain.getFirst();
    }
}
