package io.certwright.ca.inspect;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// What [CertificateInspector] reads from a certificate beyond the getters of
/// [java.security.cert.X509Certificate].
///
/// @param key the subject public key
/// @param extensions every extension, in the order the certificate carries them
public record CertificateDetails(KeyInfo key, List<ExtensionInfo> extensions) {

    public CertificateDetails {
        Objects.requireNonNull(key, "key");
        extensions = List.copyOf(extensions);
    }

    /// The extension with the given OID, if the certificate carries it.
    public Optional<ExtensionInfo> extension(String oid) {
        return extensions.stream().filter(e -> e.oid().equals(oid)).findFirst();
    }
}
