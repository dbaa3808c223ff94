package io.certwright.ca.internal.x509;

import io.certwright.ca.keys.Passphrase;
import io.certwright.ca.keys.WrongPassphraseException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/// PKCS#8 private keys in PEM, plain or encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), the
/// format `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256` writes and every tool reads.
public final class Pkcs8Codec {

    /// PBKDF2 iterations for new key files; OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    public static final int ITERATIONS = 600_000;
    static final String ENCRYPTED_LABEL = "ENCRYPTED PRIVATE KEY";
    static final String PLAIN_LABEL = "PRIVATE KEY";

    private static final SecureRandom RANDOM = new SecureRandom();
    /// Bouncy Castle's provider, used directly and never registered: neither the JDK nor ACCP offers the
    /// `AES/CBC/PKCS7Padding` cipher and AES parameter generator the PKCS#8 operator builders ask for.
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private Pkcs8Codec() {
    }

    public static String encrypt(PrivateKey key, Passphrase passphrase) throws GeneralSecurityException {
        char[] chars = passphrase.chars();
        try {
            OutputEncryptor enc = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setPRF(JcaPKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(ITERATIONS)
                    .setRandom(RANDOM)
                    .setProvider(BOUNCY_CASTLE)
                    .setPassword(chars)
                    .build();
            byte[] der = new JcaPKCS8Generator(key, enc).generate().getContent();
            return PemCodec.encode(ENCRYPTED_LABEL, der);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot encrypt private key", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /// Decrypts an `ENCRYPTED PRIVATE KEY` PEM.
    ///
    /// @param source names the file in error messages
    /// @throws WrongPassphraseException when the passphrase does not decrypt it
    public static PrivateKey decrypt(String pem, Passphrase passphrase, String source)
            throws GeneralSecurityException, IOException {
        List<PemCodec.Block> blocks = PemCodec.decode(pem);
        PemCodec.Block block = blocks.getFirst();
        if (block.label().equals(PLAIN_LABEL)) {
            throw new GeneralSecurityException(source + " holds an unencrypted key; CA keys must be encrypted");
        }
        if (!block.label().equals(ENCRYPTED_LABEL)) {
            throw new IOException(source + ": expected PEM " + ENCRYPTED_LABEL + " but found " + block.label());
        }
        PKCS8EncryptedPrivateKeyInfo info;
        try {
            info = new PKCS8EncryptedPrivateKeyInfo(block.der());
        } catch (IOException | RuntimeException e) {
            throw new IOException(source + ": malformed encrypted private key", e);
        }
        char[] chars = passphrase.chars();
        PrivateKeyInfo pki;
        try {
            pki = info.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BOUNCY_CASTLE).build(chars));
        } catch (PKCSException | RuntimeException e) {
            // PBES2 with CBC: a wrong passphrase shows up as bad padding or as garbage that does not parse.
            throw new WrongPassphraseException(source);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(source + ": cannot set up decryption: " + e.getMessage(), e);
        } finally {
            Arrays.fill(chars, '\0');
        }
        try {
            return Keys.toPrivateKey(pki);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new WrongPassphraseException(source);
        }
    }

    public static String encodePlain(PrivateKey key) {
        byte[] der = key.getEncoded();
        try {
            return PemCodec.encode(PLAIN_LABEL, der);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /// Reads an unencrypted `PRIVATE KEY` PEM.
    public static PrivateKey decodePlain(String pem, String source) throws GeneralSecurityException, IOException {
        PemCodec.Block block = PemCodec.decode(pem).getFirst();
        if (block.label().equals(ENCRYPTED_LABEL)) {
            throw new IOException(source + " is encrypted; a passphrase is needed");
        }
        if (!block.label().equals(PLAIN_LABEL)) {
            throw new IOException(source + ": expected PEM " + PLAIN_LABEL + " but found " + block.label());
        }
        try {
            return Keys.privateKeyFromPkcs8(block.der());
        } finally {
            Arrays.fill(block.der(), (byte) 0);
        }
    }

    /// Whether the PEM holds an encrypted key.
    public static boolean isEncrypted(String pem) throws IOException {
        return PemCodec.decode(pem).getFirst().label().equals(ENCRYPTED_LABEL);
    }
}
