package io.certwright.inventory.alert;

/// How a delivery ended; the `outcome` label of `certwright_alert_deliveries_total`.
public enum DeliveryOutcome {
    /// The receiver accepted it.
    DELIVERED("delivered"),
    /// Every attempt failed, or the receiver refused it for good; the alert will be tried again on the next run.
    FAILED("failed");

    private final String wireName;

    DeliveryOutcome(String wireName) {
        this.wireName = wireName;
    }

    /// The name used in the delivery log and metric labels.
    public String wireName() {
        return wireName;
    }
}
