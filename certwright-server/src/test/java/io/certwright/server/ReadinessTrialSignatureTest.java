package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.Issuer;
import io.certwright.ca.keys.SigningKey;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.InterceptedSigningKey;
import io.certwright.testing.TestCa;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTrialSignatureTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    /// Signs with another key pair, as an HSM slot holding the wrong key would.
    private static InterceptedSigningKey signingWith(SigningKey real, KeyPair other) {
        return new InterceptedSigningKey(real, data -> {
            Signature s = Signature.getInstance(real.algorithm().signatureAlgorithm());
            s.initSign(other.getPrivate());
            s.update(data);
            return s.sign();
        });
    }

    /// Cannot sign, as an HSM that went away.
    private static InterceptedSigningKey gone(SigningKey real) {
        return new InterceptedSigningKey(real, data -> {
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
