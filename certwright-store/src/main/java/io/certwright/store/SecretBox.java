package io.certwright.store;

import io.certwright.ca.keys.Passphrase;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/// Encrypts the secrets the store keeps in the database (the ACME nonce secret, external account binding
/// keys), so that a copy of the database alone does not give them away.
///
/// AES-256-GCM under a key derived from the CA passphrase with PBKDF2-HMAC-SHA256 (600,000 iterations, as the
/// CA key files use), salted with the SHA-256 of the CA root certificate: every replica of one deployment
/// (same passphrase, same root) derives the same key, with nothing more to share. Each sealed value is
/// `CWS1` ‖ a random 12-byte IV ‖ ciphertext and tag, and is bound to where it is stored (the AAD names the
/// table and row), so a sealed value moved to another row does not open. Values written before sealing
/// existed (which lack the `CWS1` prefix) are read as they are. Safe for concurrent use; holds no secret in
/// its `toString`.
public final class SecretBox {

    /// PBKDF2 iterations of the key derivation.
    static final int ITERATIONS = 600_000;
    private static final byte[] MAGIC = "CWS1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SecretBox NONE = new SecretBox(null);

    private final @Nullable SecretKey key;

    private SecretBox(@Nullable SecretKey key) {
        this.key = key;
    }

    /// The box of the deployment whose CA has `passphrase` and `root`.
    ///
    /// @throws IllegalStateException when the JDK cannot derive the key (PBKDF2 is part of every JDK)
    public static SecretBox derive(Passphrase passphrase, X509Certificate root) {
        Objects.requireNonNull(passphrase, "passphrase");
        byte[] salt;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("certwright store secrets".getBytes(StandardCharsets.US_ASCII));
            salt = sha.digest(root.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot salt the store's secret key", e);
        }
        PBEKeySpec spec = new PBEKeySpec(passphrase.chars(), salt, ITERATIONS, 256);
        try {
            byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            try {
                return new SecretBox(new SecretKeySpec(raw, "AES"));
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the store's secret key", e);
        } finally {
            spec.clearPassword();
        }
    }

    /// A box that stores secrets as they are, for tests and tools that have no CA passphrase.
    public static SecretBox none() {
        return NONE;
    }

    /// Whether this box encrypts.
    public boolean seals() {
        return key != null;
    }

    /// `secret` as it is to be stored at `where` (for example `acme_eab_keys:<key id>`).
    byte[] seal(byte[] secret, String where) {
        SecretKey k = key;
        if (k == null) {
            return secret.clone();
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(where.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(secret);
            byte[] out = new byte[MAGIC.length + IV_BYTES + sealed.length];
            System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
            System.arraycopy(iv, 0, out, MAGIC.length, IV_BYTES);
            System.arraycopy(sealed, 0, out, MAGIC.length + IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /// The secret stored as `stored` at `where`, or empty when it is sealed and does not open with this
    /// box's key (another deployment's, a changed passphrase, or a value moved from another row).
    Optional<byte[]> open(byte[] stored, String where) {
        if (!isSealed(stored)) {
            return Optional.of(stored.clone());
        }
        SecretKey k = key;
        if (k == null || stored.length < MAGIC.length + IV_BYTES + TAG_BITS / 8) {
            return Optional.empty();
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, stored, MAGIC.length, IV_BYTES));
            c.updateAAD(where.getBytes(StandardCharsets.UTF_8));
            return Optional.of(c.doFinal(stored, MAGIC.length + IV_BYTES, stored.length - MAGIC.length - IV_BYTES));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /// Whether `stored` is a sealed value.
    static boolean isSealed(byte[] stored) {
        return stored.length >= MAGIC.length && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    @Override
    public String toString() {
        return key == null ? "SecretBox[none]" : "SecretBox[AES-256-GCM]";
    }
}
