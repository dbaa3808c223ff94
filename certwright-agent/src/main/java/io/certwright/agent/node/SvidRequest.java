package io.certwright.agent.node;

import java.util.Arrays;
import java.util.Objects;

/// One workload SVID to sign: the entry it is for and a CSR for the key the agent made for it.
///
/// @param entryId the registration entry; the server takes the SPIFFE ID, DNS names and lifetime from it
/// @param csrDer a PKCS#10 request, DER
@SuppressWarnings("ArrayRecordComponent") // the node API contract names a byte[]; copied in and out
public record SvidRequest(String entryId, byte[] csrDer) {

    public SvidRequest {
        Objects.requireNonNull(entryId, "entryId");
        csrDer = csrDer.clone();
    }

    @Override
    public byte[] csrDer() {
        return csrDer.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SvidRequest r && entryId.equals(r.entryId) && Arrays.equals(csrDer, r.csrDer);
    }

    @Override
    public int hashCode() {
        return 31 * entryId.hashCode() + Arrays.hashCode(csrDer);
    }

    @Override
    public String toString() {
        return "SvidRequest[entryId=" + entryId + ", csr=" + csrDer.length + " bytes]";
    }
}
