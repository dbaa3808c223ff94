package io.certwright.inventory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/// A SHA-256 fingerprint, as 64 lowercase hex digits: of a certificate's DER (the inventory's identity for a
/// certificate) or of a public key's SubjectPublicKeyInfo (to find one key reused in several certificates).
///
/// @param hex 64 lowercase hexadecimal digits
public record Fingerprint(String hex) implements Comparable<Fingerprint> {

    private static final int HEX_LENGTH = 64;

    public Fingerprint {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != HEX_LENGTH) {
            throw new IllegalArgumentException("a SHA-256 fingerprint has 64 hex digits, not " + hex.length());
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("a SHA-256 fingerprint has lowercase hex digits only");
            }
        }
    }

    /// The fingerprint of `bytes` (a certificate's DER, or an encoded public key).
    public static Fingerprint sha256(byte[] bytes) {
        try {
            return new Fingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /// Parses hex in either case, with or without `:` separators (as `openssl x509 -fingerprint` prints it).
    public static Fingerprint parse(String text) {
        return new Fingerprint(text.replace(":", "").trim().toLowerCase(java.util.Locale.ROOT));
    }

    /// The first 12 hex digits, enough to tell certificates apart in a message.
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public int compareTo(Fingerprint other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
