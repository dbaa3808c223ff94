package io.certwright.ca.policy;

import io.certwright.core.KeyAlgorithm;
import java.util.Optional;

/// What a public key is, as far as policy cares.
///
/// @param family the family when it is one Certwright knows, else empty
/// @param bits modulus size for RSA, field size for EC, 255 for Ed25519, the level for ML-DSA
/// @param name a readable name, such as `secp256k1` or `RSA 2048`
/// @param standard the matching [KeyAlgorithm] when the key is exactly one of those
public record KeyDescription(Optional<KeyAlgorithm.Family> family, int bits, String name,
        Optional<KeyAlgorithm> standard) {
}
