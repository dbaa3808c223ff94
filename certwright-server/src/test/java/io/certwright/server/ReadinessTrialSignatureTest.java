package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.Issuer;
import io.certwright.ca.keys.SigningKey;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.TestCa;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTrialSignatureTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    /// How a faulty key signs.
    @FunctionalInterface
    private interface Signer {
        byte[] sign(byte[] data) throws GeneralSecurityException;
    }

    /// The issuing key as the CA sees it (algorithm, public key), but signing some other way: with another
    /// key pair, as with an HSM slot holding the wrong key, or not at all, as with an HSM that went away.
    private record FaultyKey(SigningKey real, Signer signer) implements SigningKey {
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
    }

    private static FaultyKey signingWith(SigningKey real, KeyPair other) {
        return new FaultyKey(real, data -> {
            Signature s = Signature.getInstance(real.algorithm().signatureAlgorithm());
            s.initSign(other.getPrivate());
            s.update(data);
            return s.sign();
        });
    }

    private static FaultyKey gone(SigningKey real) {
        return new FaultyKey(real, data -> {
            throw new java.security.SignatureException("token not present");
        });
    }

    private static Issuer issuerWith(TestCa ca, SigningKey key) {
        Issuer real = ca.authority().issuer();
        return new Issuer(real.certificate(), real.chain(), key, real.trustDomain());
    }

    @Test
    void aWorkingIssuingKeyPassesTheTrialSignature() throws Exception {
        for (KeyAlgorithm algorithm : new KeyAlgorithm[] {KeyAlgorithm.P256, KeyAlgorithm.ED25519}) {
            TestCa ca = TestCa.builder(algorithm).build();

            assertThat(CertwrightServer.trialSignatureFails(ca.authority().issuer(), NOW)).as(algorithm.cliName())
                    .isEmpty();
        }
    }

    @Test
    void aKeyWhoseSignaturesDoNotVerifyMakesTheServerNotReady() throws Exception {
        TestCa ca = TestCa.builder(KeyAlgorithm.P256).build();
        Issuer wrong = issuerWith(ca, signingWith(ca.intermediateKey(), TestCa.keyPair(KeyAlgorithm.P256)));

        Optional<String> why = CertwrightServer.trialSignatureFails(wrong, NOW);

        assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("does not verify"));
    }

    @Test
    void aKeyThatCannotSignMakesTheServerNotReady() throws Exception {
        TestCa ca = TestCa.builder(KeyAlgorithm.P256).build();
        Issuer gone = issuerWith(ca, gone(ca.intermediateKey()));

        Optional<String> why = CertwrightServer.trialSignatureFails(gone, NOW);

        assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("trial signature").contains("failed")
                .doesNotContain("token not present"));
    }
}
