package io.certwright.testing;

import io.certwright.ca.keys.SigningKey;
import io.certwright.core.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Objects;

/// A signing key that looks like `real` to the CA (algorithm, public key, provider) but signs through
/// `signer`, for tests that count signatures, sign with the wrong key (an HSM slot holding another key) or
/// fail (an HSM that went away).
///
/// @param real the key the CA believes it uses
/// @param signer how signatures are actually made; it may call `real`
public record InterceptedSigningKey(SigningKey real, Signer signer) implements SigningKey {

    /// How an intercepted key signs.
    @FunctionalInterface
    public interface Signer {
        /// Signs `data`, or fails.
        byte[] sign(byte[] data) throws GeneralSecurityException;
    }

    public InterceptedSigningKey {
        Objects.requireNonNull(real, "real");
        Objects.requireNonNull(signer, "signer");
    }

    @Override
    public KeyAlgorithm algorithm() {
        return real.algorithm();
    }

    @Override
    public PublicKey publicKey() {
        return real.publicKey();
    }

    @Override
    public String providerName() {
        return real.providerName();
    }

    @Override
    public byte[] sign(byte[] data) throws GeneralSecurityException {
        return signer.sign(data);
    }

    @Override
    public String toString() {
        return "InterceptedSigningKey[" + real.algorithm() + "]";
    }
}
