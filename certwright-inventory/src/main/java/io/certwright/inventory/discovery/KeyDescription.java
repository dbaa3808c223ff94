package io.certwright.inventory.discovery;

import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Objects;
import java.util.Optional;

/// A public key's type and strength, as a compliance report needs them.
///
/// @param algorithm `RSA`, `EC`, `Ed25519`, `Ed448`, `ML-DSA`, `DSA` or the key's own algorithm name
/// @param bits      the key size in bits (RSA modulus, EC field size, DSA prime); 0 where size is not a
///                  meaningful measure (ML-DSA)
/// @param parameters the curve or parameter set when there is one (`secp256r1`, `ML-DSA-65`)
public record KeyDescription(String algorithm, int bits, Optional<String> parameters) {

    public KeyDescription {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(parameters, "parameters");
    }

    /// Describes `key`.
    public static KeyDescription of(PublicKey key) {
        return switch (key) {
            case RSAPublicKey rsa -> new KeyDescription("RSA", rsa.getModulus().bitLength(), Optional.empty());
            case ECPublicKey ec -> new KeyDescription("EC", ec.getParams().getCurve().getField().getFieldSize(),
                    curveName(ec.getParams().toString()));
            case EdECPublicKey ed -> {
                String name = ed.getParams().getName();
                yield new KeyDescription(name, name.equalsIgnoreCase("Ed448") ? 448 : 255, Optional.of(name));
            }
            case DSAPublicKey dsa -> new KeyDescription("DSA", dsa.getParams() == null ? 0
                    : dsa.getParams().getP().bitLength(), Optional.empty());
            default -> new KeyDescription(key.getAlgorithm(), 0, namedParameters(key));
        };
    }

    /// `RSA 2048`, `EC 256 (secp256r1)`, `Ed25519`, `ML-DSA (ML-DSA-65)`.
    public String display() {
        String size = bits > 0 && !algorithm.startsWith("Ed") ? " " + bits : "";
        String params = parameters.filter(p -> !p.equals(algorithm)).map(p -> " (" + p + ")").orElse("");
        return algorithm + size + params;
    }

    private static Optional<String> curveName(String paramsText) {
        // The JDK's named curves print as "secp256r1 [NIST P-256,X9.62 prime256v1] (1.2.840.10045.3.1.7)".
        int end = paramsText.indexOf(' ');
        String name = end > 0 ? paramsText.substring(0, end) : paramsText;
        return name.isEmpty() || name.contains("=") ? Optional.empty() : Optional.of(name);
    }

    private static Optional<String> namedParameters(PublicKey key) {
        AlgorithmParameterSpec spec = key.getParams();
        return spec instanceof NamedParameterSpec named ? Optional.of(named.getName()) : Optional.empty();
    }
}
