package io.certwright.ca.keys;

import io.certwright.core.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.PublicKey;

/// The one seam every CA signature goes through. A file key, a PKCS#11 HSM key or a cloud KMS key all
/// implement this; issuance never sees the private key itself.
///
/// Implementations must be safe for concurrent use and must never reveal key material in `toString`
/// or in exception messages.
public interface SigningKey {

    /// The key's type; decides the signature algorithm.
    KeyAlgorithm algorithm();

    /// The public half, as it appears in the CA certificate.
    PublicKey publicKey();

    /// Name of the JCA provider that computes the signatures, for `ca show` and the server log.
    String providerName();

    /// Signs `data` with [KeyAlgorithm#signatureAlgorithm()] and returns the signature in the encoding
    /// X.509 expects (DER `ECDSA-Sig-Value` for ECDSA, raw for EdDSA and ML-DSA, PKCS#1 v1.5 for RSA).
    byte[] sign(byte[] data) throws GeneralSecurityException;
}
