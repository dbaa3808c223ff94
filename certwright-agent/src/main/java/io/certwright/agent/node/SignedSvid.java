package io.certwright.agent.node;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/// A workload SVID the server signed.
///
/// @param entryId the registration entry it was requested for
/// @param chain the SVID, leaf first, followed by the intermediates; never empty
public record SignedSvid(String entryId, List<X509Certificate> chain) {

    public SignedSvid {
        Objects.requireNonNull(entryId, "entryId");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a signed SVID needs its certificate");
        }
    }
}
