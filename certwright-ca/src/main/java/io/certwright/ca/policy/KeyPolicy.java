package io.certwright.ca.policy;

import io.certwright.core.KeyAlgorithm;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/// Which subject public keys are acceptable: RSA of at least [#minRsaBits()] bits, the ECDSA curves P-256 and
/// P-384, Ed25519 and the ML-DSA parameter sets; nothing else (no other curves, no DSA, no Ed448).
///
/// @param families key families accepted at all
/// @param minRsaBits smallest RSA modulus accepted
/// @param maxRsaBits largest RSA modulus accepted (huge moduli are a cheap denial of service)
public record KeyPolicy(Set<KeyAlgorithm.Family> families, int minRsaBits, int maxRsaBits) {

    public KeyPolicy {
        families = Set.copyOf(families);
        if (minRsaBits < 2048) {
            throw new IllegalArgumentException("RSA keys below 2048 bits cannot be allowed");
        }
        if (maxRsaBits < minRsaBits) {
            throw new IllegalArgumentException("maxRsaBits below minRsaBits");
        }
    }

    /// All families, RSA from 2048 to 8192 bits.
    public static KeyPolicy defaults() {
        return new KeyPolicy(EnumSet.allOf(KeyAlgorithm.Family.class), 2048, 8192);
    }

    /// Why a key of the given description is refused, or empty when it is accepted.
    ///
    /// @param key what the key is; `curveOrName` is the EC curve name for EC keys
    public Optional<String> refusalFor(KeyDescription key) {
        if (key.family().isEmpty()) {
            return Optional.of("key type " + key.name() + " is not allowed; allowed: RSA >= " + minRsaBits
                    + " bits, EC P-256/P-384, Ed25519, ML-DSA");
        }
        KeyAlgorithm.Family family = key.family().get();
        if (!families.contains(family)) {
            return Optional.of("key family " + family + " is not allowed by this CA");
        }
        return switch (family) {
            case RSA -> key.bits() < minRsaBits
                    ? Optional.of("RSA key of " + key.bits() + " bits is below the minimum of " + minRsaBits)
                    : key.bits() > maxRsaBits
                            ? Optional.of("RSA key of " + key.bits() + " bits is above the maximum of " + maxRsaBits)
                            : Optional.empty();
            case EC -> key.standard().isPresent()
                    ? Optional.empty()
                    : Optional.of("EC curve " + key.name() + " is not allowed; use P-256 or P-384");
            case EDDSA, MLDSA -> key.standard().isPresent()
                    ? Optional.empty()
                    : Optional.of("key type " + key.name() + " is not allowed");
        };
    }
}
