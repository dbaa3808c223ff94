package io.certwright.inventory.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/// A secret (a webhook signing key, an SMTP password) that never shows up in `toString`, logs or exception
/// messages, and that is compared in constant time.
///
/// A final class rather than a record, because a record would print its content.
public final class Secret {

    private final byte[] value;

    private Secret(byte[] value) {
        this.value = value;
    }

    /// A secret from text, stored as its UTF-8 bytes.
    ///
    /// @throws IllegalArgumentException if it is empty
    public static Secret of(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("secret is empty");
        }
        return new Secret(text.getBytes(StandardCharsets.UTF_8));
    }

    /// A copy of the secret's bytes; callers should not keep it longer than they need it.
    public byte[] revealBytes() {
        return value.clone();
    }

    /// The secret as text, for APIs that take a string (such as an SMTP password).
    public String revealText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /// Compares with `candidate` in time that does not depend on where they differ.
    public boolean matches(byte[] candidate) {
        return MessageDigest.isEqual(value, candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(value, other.value);
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value.length);
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
