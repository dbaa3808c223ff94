package io.certwright.core;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/// A certificate serial number: positive, at most 20 octets when DER-encoded
/// ([RFC 5280 §4.1.2.2](https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.2)).
///
/// Serials Certwright assigns carry [#RANDOM_BITS] bits from a CSPRNG, so they are unpredictable and,
/// with overwhelming probability, unique; the ledger rejects a repeat all the same.
///
/// @param value the positive serial
public record SerialNumber(BigInteger value) {

    /// Bits of CSPRNG output in every generated serial.
    public static final int RANDOM_BITS = 128;
    private static final int MAX_OCTETS = 20;

    public SerialNumber {
        Objects.requireNonNull(value, "value");
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("serial number must be positive");
        }
        if (value.toByteArray().length > MAX_OCTETS) {
            throw new IllegalArgumentException("serial number is longer than 20 octets");
        }
    }

    /// A fresh serial of [#RANDOM_BITS] random bits with the top bit forced on, so every serial has the same
    /// length (17 DER octets) and is never zero.
    public static SerialNumber random(SecureRandom random) {
        BigInteger v = new BigInteger(RANDOM_BITS, random).setBit(RANDOM_BITS - 1);
        return new SerialNumber(v);
    }

    /// Parses lowercase or uppercase hex, with or without `:` separators.
    public static SerialNumber parseHex(String hex) {
        String clean = hex.replace(":", "").trim();
        if (clean.isEmpty()) {
            throw new IllegalArgumentException("serial number is empty");
        }
        try {
            return new SerialNumber(new BigInteger(clean, 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("serial number is not hexadecimal: " + hex, e);
        }
    }

    /// Lowercase hex without separators, as used in file names and URLs.
    public String hex() {
        String h = value.toString(16);
        return h.length() % 2 == 0 ? h : "0" + h;
    }

    /// Colon-separated uppercase hex, as `openssl x509 -text` prints it.
    public String colonHex() {
        byte[] bytes = value.toByteArray();
        int from = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(bytes, from, bytes.length);
    }

    @Override
    public String toString() {
        return hex();
    }
}
