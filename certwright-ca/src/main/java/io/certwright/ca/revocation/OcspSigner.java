package io.certwright.ca.revocation;

import io.certwright.ca.keys.SigningKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

/// What signs OCSP responses for one CA: a delegated OCSP signing certificate the CA issued (profile
/// `ocsp-signer`) with its key, or the CA certificate itself with the CA's key.
///
/// @param certificate the signing certificate
/// @param key its key, through the same seam as every CA signature
public record OcspSigner(X509Certificate certificate, SigningKey key) {

    public OcspSigner {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        if (!Arrays.equals(certificate.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the signing key does not belong to the OCSP signing certificate");
        }
    }

    @Override
    public String toString() {
        return "OcspSigner[" + certificate.getSubjectX500Principal().getName() + ", serial "
                + certificate.getSerialNumber().toString(16) + ", until " + certificate.getNotAfter().toInstant() + "]";
    }
}
