package io.certwright.store;

import io.certwright.ca.keys.Passphrase;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.TestCa;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/// Secret boxes for tests, derived once per test run (each derivation is 600,000 PBKDF2 iterations).
final class TestSecrets {

    private static final class Holder {
        static final X509Certificate ROOT = root("Secrets Test");
        static final SecretBox BOX = SecretBox.derive(Passphrase.of("test passphrase, not a secret".toCharArray()),
                ROOT);
    }

    private TestSecrets() {
    }

    /// A box sealing with a test passphrase and root.
    static SecretBox box() {
        return Holder.BOX;
    }

    /// The root the box of [#box()] is salted with.
    static X509Certificate root() {
        return Holder.ROOT;
    }

    /// A new CA root named `name`.
    static X509Certificate root(String name) {
        try {
            return TestCa.builder(KeyAlgorithm.P256).name(name).build().root();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /// Whether `needle` occurs in `haystack`: whether a stored value gives away the secret it holds.
    static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
