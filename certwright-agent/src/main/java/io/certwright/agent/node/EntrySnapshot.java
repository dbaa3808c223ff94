package io.certwright.agent.node;

import java.util.List;

/// The registration entries delegated to this agent at one moment.
///
/// @param entries the entries, in the server's order
public record EntrySnapshot(List<RegistrationEntry> entries) {

    public EntrySnapshot {
        entries = List.copyOf(entries);
    }
}
