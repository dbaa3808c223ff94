package io.certwright.ca.keys;

import io.certwright.core.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// Chooses the JCA provider for each job.
///
/// Signing speed decides issuance speed, so Amazon Corretto Crypto Provider (ACCP, native AWS-LC) is
/// installed as the first provider whenever its native library loads and passes its self-test; otherwise
/// the JDK's providers (SunEC, SunRsaSign, SUN for ML-DSA) are used. ACCP is looked up reflectively so the
/// CA works, only slower, on platforms it does not ship for.
public final class CryptoProviders {

    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static final @Nullable Provider ACCP = loadAccp();
    private static final SecureRandom RANDOM = new SecureRandom();

    private CryptoProviders() {
    }

    private static @Nullable Provider loadAccp() {
        try {
            Class<?> c = Class.forName(ACCP_CLASS);
            Provider p = (Provider) c.getField("INSTANCE").get(null);
            Object error = c.getMethod("getLoadingError").invoke(p);
            if (error != null) {
                return null;
            }
            c.getMethod("assertHealthy").invoke(p);
            return p;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static boolean isAccp(Provider p) {
        return ACCP != null && p.getName().equals(ACCP.getName());
    }

    /// Installs ACCP as the most preferred provider of this JVM, if it loaded. Safe to call more than once.
    ///
    /// @return whether ACCP is installed
    public static synchronized boolean installPreferred() {
        if (ACCP == null) {
            return false;
        }
        if (Security.getProvider(ACCP.getName()) == null) {
            Security.insertProviderAt(ACCP, 1);
        }
        return true;
    }

    /// ACCP, if its native library loaded on this platform.
    public static Optional<Provider> accp() {
        return Optional.ofNullable(ACCP);
    }

    /// The provider that signs for `algorithm`: ACCP when loaded and it implements the algorithm, else the
    /// JDK's first provider that does.
    public static Provider signatureProvider(KeyAlgorithm algorithm) throws NoSuchAlgorithmException {
        if (ACCP != null && ACCP.getService("Signature", algorithm.signatureAlgorithm()) != null) {
            return ACCP;
        }
        return jdkProvider("Signature", algorithm.signatureAlgorithm());
    }

    /// The first non-ACCP provider of this JVM offering `type`/`algorithm`.
    public static Provider jdkProvider(String type, String algorithm) throws NoSuchAlgorithmException {
        for (Provider p : Security.getProviders()) {
            if (!isAccp(p) && p.getService(type, algorithm) != null) {
                return p;
            }
        }
        throw new NoSuchAlgorithmException("no provider offers " + type + "." + algorithm);
    }

    /// Generates a key pair. EC and RSA keys come from ACCP where available (RSA key generation in
    /// particular is many times faster); Ed25519 and ML-DSA keys from the JDK, whose PKCS#8 encodings
    /// every other tool reads.
    public static KeyPair generate(KeyAlgorithm algorithm) throws GeneralSecurityException {
        boolean useAccp = ACCP != null && (algorithm.family() == KeyAlgorithm.Family.EC
                || algorithm.family() == KeyAlgorithm.Family.RSA);
        KeyPairGenerator g = useAccp
                ? KeyPairGenerator.getInstance(algorithm.jcaKeyAlgorithm(), ACCP)
                : KeyPairGenerator.getInstance(algorithm.jcaKeyAlgorithm(),
                        jdkProvider("KeyPairGenerator", algorithm.jcaKeyAlgorithm()));
        try {
            switch (algorithm.family()) {
                case EC -> g.initialize(new ECGenParameterSpec(algorithm.curveOrParameterSet()), RANDOM);
                case RSA -> g.initialize(algorithm.size(), RANDOM);
                case EDDSA, MLDSA -> { }
            }
        } catch (InvalidAlgorithmParameterException e) {
            throw new GeneralSecurityException("cannot generate " + algorithm.description() + " key", e);
        }
        return g.generateKeyPair();
    }

    /// The key as `provider` prefers it, so signing need not translate it each time; the key itself if the
    /// provider cannot import it (hardware keys, for instance).
    static PrivateKey translate(PrivateKey key, KeyAlgorithm algorithm, Provider provider) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
            return key;
        }
        try {
            String factory = algorithm.family() == KeyAlgorithm.Family.MLDSA ? "ML-DSA" : algorithm.jcaKeyAlgorithm();
            return KeyFactory.getInstance(factory, provider).generatePrivate(new PKCS8EncodedKeySpec(encoded));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        } finally {
            java.util.Arrays.fill(encoded, (byte) 0);
        }
    }

    /// One line naming the providers in use, e.g. for `ca show` and the server log.
    public static String describe(KeyAlgorithm algorithm) {
        try {
            Provider p = signatureProvider(algorithm);
            return p.getName() + " " + p.getVersionStr() + (isAccp(p) ? " (native AWS-LC)" : "");
        } catch (NoSuchAlgorithmException e) {
            return "none (" + e.getMessage() + ")";
        }
    }
}
