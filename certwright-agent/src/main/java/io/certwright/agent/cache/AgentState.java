package io.certwright.agent.cache;

import io.certwright.agent.node.AgentSvid;
import java.util.Optional;

/// What the agent keeps on disk: its own SVID and key, and the cache it last served.
///
/// @param agent the agent SVID, once attested
/// @param cache the entries, workload SVIDs and bundle
public record AgentState(Optional<AgentSvid> agent, CacheSnapshot cache) {

    /// The state of an agent that has never attested.
    public static final AgentState EMPTY = new AgentState(Optional.empty(), CacheSnapshot.EMPTY);
}
