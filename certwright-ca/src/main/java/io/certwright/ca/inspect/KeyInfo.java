package io.certwright.ca.inspect;

import io.certwright.core.KeyAlgorithm;
import java.util.Objects;
import java.util.Optional;

/// What a public key is.
///
/// @param description readable type, such as `ECDSA P-256`, `RSA 2048`, `Ed25519`, `ML-DSA-65` or `EC curve 1.3.132.0.10`
/// @param bits modulus size for RSA, field size for EC, 255 for Ed25519, the level for ML-DSA; 0 when unknown
/// @param algorithm the matching Certwright key type, when the key is exactly one of those
public record KeyInfo(String description, int bits, Optional<KeyAlgorithm> algorithm) {

    public KeyInfo {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(algorithm, "algorithm");
    }
}
