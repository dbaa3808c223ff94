package io.certwright.agent.cache;

import io.certwright.agent.node.RegistrationEntry;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/// A workload X.509 SVID held by the agent, with the key it made for it.
///
/// @param entry the registration entry the SVID was issued for
/// @param chain leaf first, then the intermediates
/// @param privateKey the key certified by the leaf; never printed
/// @param bundleSequence the bundle sequence current when the SVID was issued
public record X509Svid(RegistrationEntry entry, List<X509Certificate> chain, PrivateKey privateKey,
        long bundleSequence) {

    public X509Svid {
        Objects.requireNonNull(entry, "entry");
        chain = List.copyOf(chain);
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("an SVID needs its certificate");
        }
    }

    /// The SVID certificate.
    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /// Start of validity of the leaf.
    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    /// End of validity of the leaf.
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "X509Svid[" + entry.spiffeId() + ", entry " + entry.id() + ", serial "
                + leaf().getSerialNumber().toString(16) + ", notAfter " + notAfter() + "]";
    }
}
