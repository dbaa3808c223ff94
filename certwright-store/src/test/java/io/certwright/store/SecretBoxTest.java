package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.keys.Passphrase;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/// Sealing the store's secrets: what is stored gives nothing away, opens only with the deployment's key and
/// only where it was stored, and every replica of one deployment derives the same key.
class SecretBoxTest {

    private static final byte[] SECRET = "thirty-two bytes of hmac key!!!!".getBytes(StandardCharsets.US_ASCII);


    @Test
    void aSealedSecretHidesItsBytesAndOpensWhereItWasStored() {
        SecretBox box = TestSecrets.box();
        byte[] sealed = box.seal(SECRET, "acme_eab_keys:k1");
        assertThat(SecretBox.isSealed(sealed)).isTrue();
        assertThat(TestSecrets.contains(sealed, SECRET)).isFalse();
        assertThat(box.open(sealed, "acme_eab_keys:k1")).hasValueSatisfying(v -> assertThat(v).isEqualTo(SECRET));
        assertThat(box.seal(SECRET, "acme_eab_keys:k1")).as("a fresh IV each time").isNotEqualTo(sealed);
    }

    @Test
    void aSealedSecretMovedToAnotherRowDoesNotOpen() {
        byte[] sealed = TestSecrets.box().seal(SECRET, "acme_eab_keys:k1");
        assertThat(TestSecrets.box().open(sealed, "acme_eab_keys:k2")).isEmpty();
    }

    @Test
    void aTamperedSecretDoesNotOpen() {
        byte[] sealed = TestSecrets.box().seal(SECRET, "acme_eab_keys:k1");
        sealed[sealed.length - 1] ^= 1;
        assertThat(TestSecrets.box().open(sealed, "acme_eab_keys:k1")).isEmpty();
    }

    @Test
    void replicasWithThePassphraseAndRootShareTheKeyAndOthersDoNot() {
        byte[] sealed = TestSecrets.box().seal(SECRET, "acme_nonce_secret:1");
        SecretBox replica = SecretBox.derive(Passphrase.of("test passphrase, not a secret".toCharArray()),
                TestSecrets.root());
        assertThat(replica.open(sealed, "acme_nonce_secret:1")).hasValueSatisfying(v -> assertThat(v).isEqualTo(SECRET));
        SecretBox otherPassphrase = SecretBox.derive(Passphrase.of("another passphrase".toCharArray()),
                TestSecrets.root());
        assertThat(otherPassphrase.open(sealed, "acme_nonce_secret:1")).isEmpty();
        SecretBox otherRoot = SecretBox.derive(Passphrase.of("test passphrase, not a secret".toCharArray()),
                TestSecrets.root("Another Root"));
        assertThat(otherRoot.open(sealed, "acme_nonce_secret:1")).isEmpty();
    }

    @Test
    void valuesStoredBeforeSealingAreReadAsTheyAre() {
        assertThat(TestSecrets.box().open(SECRET, "acme_eab_keys:k1")).hasValueSatisfying(v -> assertThat(v)
                .isEqualTo(SECRET));
        assertThat(SecretBox.none().open(TestSecrets.box().seal(SECRET, "x"), "x")).as("no key, no opening").isEmpty();
        assertThat(SecretBox.none().seal(SECRET, "x")).isEqualTo(SECRET);
        assertThat(TestSecrets.box().toString()).doesNotContain("thirty");
    }
}
