package io.certwright.ca.workload;

import io.certwright.core.SpiffeId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/// A registration entry: the workloads that show all of `selectors` on a node whose agent `parent` admits
/// get X509-SVIDs and JWT-SVIDs for `spiffeId`.
///
/// @param id public identifier, `ent_` and 18 hex digits
/// @param spiffeId the SPIFFE ID the workload's SVIDs carry
/// @param parent the agent or agents the entry is delegated to
/// @param selectors what the workload must show, at least one
/// @param x509SvidTtl lifetime of its X509-SVIDs
/// @param jwtSvidTtl lifetime of its JWT-SVIDs
/// @param dnsNames DNS names its X509-SVIDs carry besides the SPIFFE ID, lowercase
/// @param admin whether the workload is an administrator (reported to the agent; grants nothing on the server yet)
/// @param revision starts at 1 and grows with every change, so agents can tell an entry changed
/// @param updatedAt when it was created or last changed
public record RegistrationEntry(String id, SpiffeId spiffeId, EntryParent parent, List<Selector> selectors,
        Duration x509SvidTtl, Duration jwtSvidTtl, List<String> dnsNames, boolean admin, long revision,
        Instant updatedAt) {

    /// Most selectors on one entry.
    public static final int MAX_SELECTORS = 32;
    /// Most DNS names on one entry.
    public static final int MAX_DNS_NAMES = 32;

    public RegistrationEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(x509SvidTtl, "x509SvidTtl");
        Objects.requireNonNull(jwtSvidTtl, "jwtSvidTtl");
        Objects.requireNonNull(updatedAt, "updatedAt");
        selectors = List.copyOf(selectors);
        dnsNames = List.copyOf(dnsNames);
        if (selectors.isEmpty() || selectors.size() > MAX_SELECTORS) {
            throw new IllegalArgumentException("an entry needs 1 to " + MAX_SELECTORS + " selectors");
        }
        if (dnsNames.size() > MAX_DNS_NAMES) {
            throw new IllegalArgumentException("an entry carries at most " + MAX_DNS_NAMES + " DNS names");
        }
        if (!spiffeId.hasPath()) {
            throw new IllegalArgumentException("a workload SPIFFE ID needs a path");
        }
        if (spiffeId.path().startsWith(EntryParent.AGENT_PATH.substring(0, EntryParent.AGENT_PATH.length() - 1))) {
            throw new IllegalArgumentException("SPIFFE IDs under /certwright/agent are reserved for node agents");
        }
        if (!x509SvidTtl.isPositive() || !jwtSvidTtl.isPositive()) {
            throw new IllegalArgumentException("SVID lifetimes must be positive");
        }
        if (revision < 1) {
            throw new IllegalArgumentException("revision starts at 1");
        }
    }
}
