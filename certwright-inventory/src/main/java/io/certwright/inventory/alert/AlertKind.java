package io.certwright.inventory.alert;

/// What a notification is about.
public enum AlertKind {
    /// A certificate crossed an expiry threshold.
    EXPIRING("expiring"),
    /// A certificate expired.
    EXPIRED("expired"),
    /// A certificate Certwright issued was not renewed by its renewal point.
    RENEWAL_OVERDUE("renewal-overdue"),
    /// A certificate that was alerted on has been renewed, replaced or revoked.
    RESOLVED("resolved"),
    /// The daily summary for one owner.
    DIGEST("digest");

    private final String wireName;

    AlertKind(String wireName) {
        this.wireName = wireName;
    }

    /// The name used in JSON bodies, keys and the delivery log.
    public String wireName() {
        return wireName;
    }
}
