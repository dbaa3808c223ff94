package io.certwright.agent.cache;

import io.certwright.agent.attestation.EntryMatcher;
import io.certwright.agent.node.Bundle;
import io.certwright.agent.node.RegistrationEntry;
import io.certwright.agent.node.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// What the agent knows at one moment: the delegated entries, their SVIDs and the trust bundle.
///
/// @param entries the registration entries delegated to the agent, in the server's order
/// @param svids the current SVID of each entry that has one, by entry id
/// @param bundle the trust bundle, once known
public record CacheSnapshot(List<RegistrationEntry> entries, Map<String, X509Svid> svids, Optional<Bundle> bundle) {

    /// The snapshot of an agent that knows nothing yet.
    public static final CacheSnapshot EMPTY = new CacheSnapshot(List.of(), Map.of(), Optional.empty());

    public CacheSnapshot {
        entries = List.copyOf(entries);
        svids = Map.copyOf(svids);
    }

    /// The entries a workload with `selectors` matches, in the server's order.
    public List<RegistrationEntry> entriesFor(Set<Selector> selectors) {
        return EntryMatcher.matching(entries, selectors);
    }

    /// The SVIDs of the matching entries that have one, in entry order: the first is the workload's default.
    public List<X509Svid> svidsFor(Set<Selector> selectors) {
        List<X509Svid> out = new ArrayList<>();
        for (RegistrationEntry e : entriesFor(selectors)) {
            X509Svid svid = svids.get(e.id());
            if (svid != null) {
                out.add(svid);
            }
        }
        return out;
    }
}
