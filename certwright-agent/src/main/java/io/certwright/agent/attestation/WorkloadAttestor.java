package io.certwright.agent.attestation;

import io.certwright.agent.node.Selector;
import java.util.Set;

/// Turns the credentials of a connected process into the selectors registration entries are matched against.
public interface WorkloadAttestor {

    /// The selectors of the process; never fails, but yields fewer selectors when facts cannot be read.
    Set<Selector> attest(PeerCredentials peer);
}
