package io.certwright.ca.access;

/// Roles of API tokens, each a superset of the next.
public enum Role {
    /// Everything, including tokens, provisioners and configuration.
    ADMIN("admin", 3),
    /// Issue, renew, revoke and read certificates.
    OPERATOR("operator", 2),
    /// Read certificates and export the audit log.
    AUDITOR("auditor", 1);

    private final String wireName;
    private final int rank;

    Role(String wireName, int rank) {
        this.wireName = wireName;
        this.rank = rank;
    }

    public String wireName() {
        return wireName;
    }

    /// Whether this role may do what `required` may.
    public boolean includes(Role required) {
        return rank >= required.rank;
    }

    public static Role parse(String name) {
        for (Role r : values()) {
            if (r.wireName.equalsIgnoreCase(name.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'; expected admin, operator or auditor");
    }
}
