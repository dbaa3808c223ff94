package io.certwright.inventory.alert;

import java.util.List;

/// The record of every delivery, successful or not. The server counts appended records for
/// `certwright_alert_deliveries_total{channel,outcome}`.
public interface DeliveryLog {

    /// Appends one record.
    void append(DeliveryRecord record);

    /// The latest records, newest first, at most `limit`.
    List<DeliveryRecord> recent(int limit);
}
