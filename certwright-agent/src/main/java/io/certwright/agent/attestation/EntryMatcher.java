package io.certwright.agent.attestation;

import io.certwright.agent.node.RegistrationEntry;
import io.certwright.agent.node.Selector;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/// Which registration entries apply to a workload.
public final class EntryMatcher {

    private EntryMatcher() {
    }

    /// Whether every selector of the entry is among the workload's: an entry with selectors `unix:uid:1000` and
    /// `unix:path:/usr/bin/api` matches only processes of uid 1000 running that binary.
    public static boolean matches(RegistrationEntry entry, Set<Selector> workload) {
        return !entry.selectors().isEmpty() && workload.containsAll(entry.selectors());
    }

    /// The entries that match, in the given order.
    public static List<RegistrationEntry> matching(Collection<RegistrationEntry> entries, Set<Selector> workload) {
        return entries.stream().filter(e -> matches(e, workload)).toList();
    }
}
