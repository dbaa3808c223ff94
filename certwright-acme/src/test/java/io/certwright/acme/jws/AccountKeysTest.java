package io.certwright.acme.jws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.acme.AcmeException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import org.junit.jupiter.api.Test;

/// Account keys compared with the keys of CSRs and certificates, and the memory of stored accounts' keys.
class AccountKeysTest {

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static AccountKey account(PublicKey key) {
        return AccountKey.of(key).orElseThrow();
    }

    @Test
    void anAccountKeyIsTheSameKeyAsItsPublicKeyDecodedAgain() throws Exception {
        for (KeyPair pair : new KeyPair[] {ec("secp256r1"), ec("secp384r1"), rsa()}) {
            PublicKey decoded = KeyFactory.getInstance(pair.getPublic().getAlgorithm())
                    .generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
            assertThat(account(pair.getPublic()).sameKey(decoded)).as(pair.getPublic().getAlgorithm()).isTrue();
        }
    }

    @Test
    void anAccountKeyIsNotAnotherKeyOfTheSameOrAnotherType() throws Exception {
        AccountKey p256 = account(ec("secp256r1").getPublic());
        assertThat(p256.sameKey(ec("secp256r1").getPublic())).isFalse();
        assertThat(p256.sameKey(ec("secp384r1").getPublic())).isFalse();
        assertThat(p256.sameKey(rsa().getPublic())).isFalse();
        AccountKey rsa = account(rsa().getPublic());
        assertThat(rsa.sameKey(rsa().getPublic())).isFalse();
    }

    @Test
    void storedKeysAreParsedOnceAndGiveTheSameKey() throws Exception {
        AccountKey key = account(ec("secp256r1").getPublic());
        StoredAccountKeys keys = new StoredAccountKeys();
        AccountKey first = keys.of(key.jwk());
        assertThat(first.sameKey(key)).isTrue();
        assertThat(keys.of(key.jwk())).isSameAs(first);
        assertThat(keys.size()).isEqualTo(1);
    }

    @Test
    void storedKeysStayBoundedAndStillAnswer() throws Exception {
        StoredAccountKeys keys = new StoredAccountKeys();
        AccountKey last = account(ec("secp256r1").getPublic());
        keys.of(last.jwk());
        for (int i = 0; i < StoredAccountKeys.MAX_KEYS; i++) {
            last = account(ec("secp256r1").getPublic());
            keys.of(last.jwk());
        }
        assertThat(keys.size()).isLessThanOrEqualTo(StoredAccountKeys.MAX_KEYS);
        assertThat(keys.of(last.jwk()).sameKey(last)).isTrue();
    }

    @Test
    void aStoredJwkThatIsNotAUsableKeyIsRefusedAndNotRemembered() {
        StoredAccountKeys keys = new StoredAccountKeys();
        assertThatThrownBy(() -> keys.of("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}"))
                .isInstanceOf(AcmeException.class);
        assertThat(keys.size()).isZero();
    }
}
