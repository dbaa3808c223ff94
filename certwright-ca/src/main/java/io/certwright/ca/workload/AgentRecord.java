package io.certwright.ca.workload;

import io.certwright.core.SerialNumber;
import io.certwright.core.SpiffeId;
import java.time.Instant;
import java.util.Objects;

/// A node agent the server attested.
///
/// @param name the node name
/// @param spiffeId `spiffe://<trust-domain>/certwright/agent/<name>`
/// @param svidSerial the serial of the agent SVID issued last (at attestation or renewal)
/// @param attestedAt when it last attested with a join token
/// @param lastSeen when it last called the node API
/// @param banned whether it was banned: its SVIDs are revoked and its requests refused
public record AgentRecord(String name, SpiffeId spiffeId, SerialNumber svidSerial, Instant attestedAt,
        Instant lastSeen, boolean banned) {

    public AgentRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(svidSerial, "svidSerial");
        Objects.requireNonNull(attestedAt, "attestedAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (!EntryParent.nodeName(spiffeId).equals(name)) {
            throw new IllegalArgumentException(spiffeId + " is not the SPIFFE ID of node " + name);
        }
    }
}
