package io.certwright.inventory.alert;

/// How urgent a notification is.
public enum Severity {
    /// Nothing to do (a resolution, a digest).
    INFO("info"),
    /// Act soon.
    WARNING("warning"),
    /// Act now: expired, or a week or less left.
    CRITICAL("critical");

    private final String wireName;

    Severity(String wireName) {
        this.wireName = wireName;
    }

    /// The name used in JSON bodies.
    public String wireName() {
        return wireName;
    }
}
