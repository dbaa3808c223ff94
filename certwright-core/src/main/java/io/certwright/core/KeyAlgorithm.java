package io.certwright.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/// Key types Certwright can generate and sign with, each with its command-line name, its JCA key-pair
/// generator name and parameters, and the JCA signature algorithm a CA with this key type uses.
public enum KeyAlgorithm {
    P256("p256", Family.EC, "EC", 256, "secp256r1", "SHA256withECDSA"),
    P384("p384", Family.EC, "EC", 384, "secp384r1", "SHA384withECDSA"),
    ED25519("ed25519", Family.EDDSA, "Ed25519", 255, "Ed25519", "Ed25519"),
    RSA2048("rsa2048", Family.RSA, "RSA", 2048, "", "SHA256withRSA"),
    RSA3072("rsa3072", Family.RSA, "RSA", 3072, "", "SHA256withRSA"),
    RSA4096("rsa4096", Family.RSA, "RSA", 4096, "", "SHA384withRSA"),
    MLDSA44("mldsa44", Family.MLDSA, "ML-DSA-44", 44, "ML-DSA-44", "ML-DSA-44"),
    MLDSA65("mldsa65", Family.MLDSA, "ML-DSA-65", 65, "ML-DSA-65", "ML-DSA-65"),
    MLDSA87("mldsa87", Family.MLDSA, "ML-DSA-87", 87, "ML-DSA-87", "ML-DSA-87");

    /// Broad key families; rules such as "RSA leaf keys may encipher" are written per family.
    public enum Family { EC, EDDSA, RSA, MLDSA }

    private final String cliName;
    private final Family family;
    private final String jcaKeyAlgorithm;
    private final int size;
    private final String curveOrParameterSet;
    private final String signatureAlgorithm;

    KeyAlgorithm(String cliName, Family family, String jcaKeyAlgorithm, int size, String curveOrParameterSet,
            String signatureAlgorithm) {
        this.cliName = cliName;
        this.family = family;
        this.jcaKeyAlgorithm = jcaKeyAlgorithm;
        this.size = size;
        this.curveOrParameterSet = curveOrParameterSet;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /// Parses the command-line name (`p256`, `rsa3072`, `mldsa65`, ...), case-insensitively.
    public static KeyAlgorithm parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (KeyAlgorithm a : values()) {
            if (a.cliName.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + name + "'; expected one of " + names());
    }

    /// All command-line names, comma-separated.
    public static String names() {
        return Arrays.stream(values()).map(KeyAlgorithm::cliName).collect(Collectors.joining(", "));
    }

    public String cliName() {
        return cliName;
    }

    public Family family() {
        return family;
    }

    /// JCA name for `KeyPairGenerator`/`KeyFactory`.
    public String jcaKeyAlgorithm() {
        return jcaKeyAlgorithm;
    }

    /// Key size in bits for EC and RSA, the curve's field size for Ed25519, the parameter set's level for ML-DSA.
    public int size() {
        return size;
    }

    /// Curve name for EC, parameter set for ML-DSA, empty for RSA.
    public String curveOrParameterSet() {
        return curveOrParameterSet;
    }

    /// JCA signature algorithm used when a key of this type signs certificates.
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /// Human description, for example "ECDSA P-256" or "RSA 3072".
    public String description() {
        return switch (family) {
            case EC -> "ECDSA P-" + size;
            case EDDSA -> "Ed25519";
            case RSA -> "RSA " + size;
            case MLDSA -> jcaKeyAlgorithm;
        };
    }

    @Override
    public String toString() {
        return cliName;
    }
}
