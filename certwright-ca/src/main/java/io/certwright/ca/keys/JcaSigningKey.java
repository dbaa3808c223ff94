package io.certwright.ca.keys;

import io.certwright.core.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/// A [SigningKey] over a JCA private key and provider: a decrypted file key, or a key handle from
/// SunPKCS11 for an HSM. One `Signature` object is kept per thread, initialised once, since provider
/// lookup and key translation cost as much as an ECDSA signature.
public final class JcaSigningKey implements SigningKey {

    private final KeyAlgorithm algorithm;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Provider provider;
    private final ThreadLocal<Signature> signatures;

    private JcaSigningKey(KeyAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey, Provider provider) {
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.provider = provider;
        this.signatures = ThreadLocal.withInitial(this::newSignature);
    }

    /// Wraps a key pair, signing with the preferred provider for its algorithm (see [CryptoProviders]).
    ///
    /// @throws GeneralSecurityException if no provider can sign with this key, checked by one trial signature
    public static JcaSigningKey of(KeyAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey)
            throws GeneralSecurityException {
        return of(algorithm, privateKey, publicKey, CryptoProviders.signatureProvider(algorithm));
    }

    /// Wraps a key pair with an explicit provider, such as a SunPKCS11 instance.
    public static JcaSigningKey of(KeyAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey,
            Provider provider) throws GeneralSecurityException {
        Objects.requireNonNull(algorithm, "algorithm");
        PrivateKey translated = CryptoProviders.translate(privateKey, algorithm, provider);
        JcaSigningKey key = new JcaSigningKey(algorithm, translated, publicKey, provider);
        key.checkPair();
        return key;
    }

    private Signature newSignature() {
        try {
            Signature s = Signature.getInstance(algorithm.signatureAlgorithm(), provider);
            s.initSign(privateKey);
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise " + algorithm.signatureAlgorithm()
                    + " signing with provider " + provider.getName(), e);
        }
    }

    private void checkPair() throws GeneralSecurityException {
        byte[] probe = "certwright key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] sig = sign(probe);
        Signature v = Signature.getInstance(algorithm.signatureAlgorithm());
        v.initVerify(publicKey);
        v.update(probe);
        if (!v.verify(sig)) {
            throw new GeneralSecurityException("the private key does not match the public key");
        }
    }

    @Override
    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String providerName() {
        return provider.getName();
    }

    @Override
    public byte[] sign(byte[] data) throws GeneralSecurityException {
        Signature s;
        try {
            s = signatures.get();
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof GeneralSecurityException gse) {
                throw gse;
            }
            throw e;
        }
        s.update(data);
        return s.sign();
    }

    @Override
    public String toString() {
        return "JcaSigningKey[" + algorithm.description() + " via " + provider.getName() + "]";
    }
}
