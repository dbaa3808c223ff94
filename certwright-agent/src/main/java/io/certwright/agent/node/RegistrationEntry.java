package io.certwright.agent.node;

import io.certwright.core.SpiffeId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/// A registration entry: workloads whose selectors include all of [#selectors] get [#spiffeId].
///
/// @param id the server's identifier of the entry
/// @param spiffeId the identity the workload gets
/// @param parentId the agent (or node) the entry is delegated to
/// @param selectors the properties a workload must all have
/// @param x509SvidTtl the lifetime of X.509 SVIDs issued for the entry
/// @param jwtSvidTtl the lifetime of JWT-SVIDs issued for the entry
/// @param dnsNames DNS names to put in the X.509 SVID besides the SPIFFE ID
/// @param admin whether the workload may call the server's admin API with this SVID
/// @param revision changes whenever the entry is edited
public record RegistrationEntry(String id, SpiffeId spiffeId, SpiffeId parentId, List<Selector> selectors,
        Duration x509SvidTtl, Duration jwtSvidTtl, List<String> dnsNames, boolean admin, long revision) {

    public RegistrationEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(parentId, "parentId");
        selectors = List.copyOf(selectors);
        Objects.requireNonNull(x509SvidTtl, "x509SvidTtl");
        Objects.requireNonNull(jwtSvidTtl, "jwtSvidTtl");
        dnsNames = List.copyOf(dnsNames);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("entry id must not be empty");
        }
        if (selectors.isEmpty()) {
            throw new IllegalArgumentException("entry " + id + " has no selectors: it would match every workload");
        }
    }
}
