package io.certwright.inventory.alert;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/// Storage of silences.
public interface SilenceStore {

    /// Stores a silence.
    void add(Silence silence);

    /// Removes a silence before it ends; false if there is none with this id.
    boolean remove(UUID id);

    /// The silences that have not ended at `now`.
    List<Silence> active(Instant now);
}
