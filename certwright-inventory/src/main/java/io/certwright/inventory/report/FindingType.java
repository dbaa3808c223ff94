package io.certwright.inventory.report;

/// The kinds of problem the compliance report lists, with their wire names and a heading for people.
public enum FindingType {
    /// Past its notAfter and not replaced.
    EXPIRED("expired", "Expired"),
    /// Within its expiry thresholds.
    EXPIRING("expiring", "Expiring"),
    /// RSA below the policy's minimum bits, or EC below its minimum order.
    WEAK_KEY("weak-key", "Weak keys"),
    /// Signed with SHA-1 (or older).
    SHA1_SIGNATURE("sha1-signature", "SHA-1 signatures"),
    /// Valid for longer than the policy allows.
    LIFETIME_TOO_LONG("lifetime-too-long", "Lifetimes longer than policy"),
    /// Has a wildcard DNS name.
    WILDCARD("wildcard", "Wildcards"),
    /// Self-signed, not a CA, and served on a TLS endpoint.
    SELF_SIGNED_IN_USE("self-signed-in-use", "Self-signed in use"),
    /// Served with a chain that does not validate against the trusted roots.
    UNTRUSTED_CHAIN("untrusted-chain", "Untrusted chains served"),
    /// Served without the intermediates that lead to a root.
    INCOMPLETE_CHAIN("incomplete-chain", "Incomplete chains served"),
    /// Served on an endpoint whose name it is not valid for.
    HOSTNAME_MISMATCH("hostname-mismatch", "Hostname mismatches");

    private final String wireName;
    private final String heading;

    FindingType(String wireName, String heading) {
        this.wireName = wireName;
        this.heading = heading;
    }

    /// The name in JSON and CSV.
    public String wireName() {
        return wireName;
    }

    /// The heading in HTML.
    public String heading() {
        return heading;
    }
}
