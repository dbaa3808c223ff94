package io.certwright.ca;

import io.certwright.ca.internal.x509.X509Certificates;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.IssuerInfo;
import io.certwright.core.TrustDomain;
import io.certwright.core.Validity;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/// The active issuing CA: its certificate, the chain above it, and its signing key. Immutable, so the
/// authority can swap it atomically during rotation while issuance continues.
///
/// @param certificate the issuing CA certificate
/// @param chain certificates above it, excluding the root (empty when a root issues directly)
/// @param key the signing key matching the certificate
/// @param trustDomain the SPIFFE trust domain this CA issues for, if any
public record Issuer(X509Certificate certificate, List<X509Certificate> chain, SigningKey key,
        Optional<TrustDomain> trustDomain) {

    public Issuer {
        chain = List.copyOf(chain);
        if (!certificate.getPublicKey().equals(key.publicKey())
                && !java.util.Arrays.equals(certificate.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the signing key does not belong to the issuer certificate");
        }
    }

    /// What issued certificates need to know about this issuer.
    public IssuerInfo info() {
        return new IssuerInfo(certificate.getSubjectX500Principal(), X509Certificates.subjectKeyIdentifier(certificate),
                new Validity(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()),
                trustDomain, key.algorithm().signatureAlgorithm());
    }

    /// Issuer certificate followed by the chain above it.
    public List<X509Certificate> issuingChain() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(certificate), chain.stream()).toList();
    }
}
