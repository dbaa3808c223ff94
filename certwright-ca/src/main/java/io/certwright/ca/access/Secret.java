package io.certwright.ca.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/// A bearer secret (API or enrollment token): 256 random bits, shown once, stored only as its SHA-256.
/// A class, not a record, so it never prints itself.
public final class Secret {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /// A fresh secret with the given prefix (such as `cwt_`), 256 bits of randomness in base64url.
    public static Secret generate(String prefix) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new Secret(prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    /// Wraps a secret presented by a caller.
    public static Secret of(String presented) {
        return new Secret(presented);
    }

    /// The secret itself, to show once to its owner.
    public String reveal() {
        return value;
    }

    /// Hex SHA-256 of the secret, the only form that is stored.
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /// Constant-time comparison of this secret's hash with a stored hash.
    public boolean matches(String storedHash) {
        return MessageDigest.isEqual(hash().getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
