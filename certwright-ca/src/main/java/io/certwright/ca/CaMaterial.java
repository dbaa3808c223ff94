package io.certwright.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

/// The certificates and keys of a CA. A class rather than a record so that `toString` cannot print keys.
public final class CaMaterial {

    private final X509Certificate root;
    private final Optional<PrivateKey> rootKey;
    private final X509Certificate intermediate;
    private final PrivateKey intermediateKey;

    public CaMaterial(X509Certificate root, Optional<PrivateKey> rootKey, X509Certificate intermediate,
            PrivateKey intermediateKey) {
        this.root = root;
        this.rootKey = rootKey;
        this.intermediate = intermediate;
        this.intermediateKey = intermediateKey;
    }

    public X509Certificate root() {
        return root;
    }

    /// The root key; empty when the root was imported without it (kept offline).
    public Optional<PrivateKey> rootKey() {
        return rootKey;
    }

    public X509Certificate intermediate() {
        return intermediate;
    }

    public PrivateKey intermediateKey() {
        return intermediateKey;
    }

    @Override
    public String toString() {
        return "CaMaterial[root=" + root.getSubjectX500Principal().getName() + ", intermediate="
                + intermediate.getSubjectX500Principal().getName() + ", keys redacted]";
    }
}
