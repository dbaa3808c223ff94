package io.certwright.inventory.status;

import io.certwright.inventory.InventoryEntry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/// One certificate's status at one instant.
///
/// @param entry the inventory entry
/// @param status its status
/// @param thresholds the expiry thresholds that apply to it
/// @param crossedThreshold the shortest expiry threshold it has crossed, when it is expiring or renewal-overdue
public record CertificateState(InventoryEntry entry, CertificateStatus status, ExpiryThresholds thresholds,
        Optional<Duration> crossedThreshold) {

    public CertificateState {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(crossedThreshold, "crossedThreshold");
    }
}
