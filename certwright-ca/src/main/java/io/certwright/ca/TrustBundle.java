package io.certwright.ca;

import io.certwright.ca.internal.x509.PemCodec;
import java.security.cert.CertificateEncodingException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/// The root certificates relying parties trust; more than one while a root is being rotated.
///
/// @param roots the root certificates, newest last
public record TrustBundle(List<X509Certificate> roots) {

    public TrustBundle {
        roots = List.copyOf(roots);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a trust bundle needs at least one root");
        }
    }

    /// Concatenated PEM of every root.
    public String pem() {
        return Pem.certificates(roots);
    }

    /// The roots as PKIX trust anchors.
    public Set<TrustAnchor> anchors() {
        return roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toSet());
    }

    static String encode(X509Certificate c) {
        try {
            return PemCodec.encode("CERTIFICATE", c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate always re-encodes", e);
        }
    }
}
