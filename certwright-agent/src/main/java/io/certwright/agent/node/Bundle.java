package io.certwright.agent.node;

import io.certwright.core.TrustDomain;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/// A trust domain's bundle: the X.509 roots that verify X509-SVIDs and the keys that verify JWT-SVIDs.
///
/// @param trustDomain the trust domain
/// @param x509Authorities the root certificates
/// @param jwksJson the JWT authorities as a JSON Web Key Set
/// @param sequence increases whenever the bundle changes
public record Bundle(TrustDomain trustDomain, List<X509Certificate> x509Authorities, String jwksJson, long sequence) {

    public Bundle {
        Objects.requireNonNull(trustDomain, "trustDomain");
        x509Authorities = List.copyOf(x509Authorities);
        Objects.requireNonNull(jwksJson, "jwksJson");
    }
}
