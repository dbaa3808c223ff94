package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.alert.Silence;
import io.certwright.inventory.alert.SilenceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/// The contract every [SilenceStore] must honour: a silence is active from when it is added until the instant
/// it ends (exclusive), both kinds of target come back whole, removal works once, and adding a silence with
/// an existing id replaces it.
///
/// Extend it and implement [#newStore()].
public abstract class SilenceStoreContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Fingerprint FP = new Fingerprint("3f".repeat(32));

    /// A new, empty store. Called once per test.
    protected abstract SilenceStore newStore() throws Exception;

    private static Silence forCertificate(Instant until) {
        return new Silence(UUID.randomUUID(), new Silence.CertificateTarget(FP), until, "maintenance window");
    }

    @Test
    void anEmptyStoreHasNoActiveSilences() throws Exception {
        assertThat(newStore().active(NOW)).isEmpty();
    }

    @Test
    void aSilenceIsActiveUntilTheInstantItEnds() throws Exception {
        SilenceStore store = newStore();
        Silence s = forCertificate(NOW.plus(Duration.ofHours(2)));

        store.add(s);

        assertThat(store.active(NOW)).containsExactly(s);
        assertThat(store.active(NOW.plus(Duration.ofHours(2)).minusMillis(1))).containsExactly(s);
        assertThat(store.active(NOW.plus(Duration.ofHours(2)))).isEmpty();
        assertThat(store.active(NOW.plus(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void onlySilencesThatHaveNotEndedAreActive() throws Exception {
        SilenceStore store = newStore();
        Silence ended = forCertificate(NOW.minusSeconds(1));
        Silence running = forCertificate(NOW.plusSeconds(60));
        Silence later = new Silence(UUID.randomUUID(), new Silence.OwnerTarget("payments"), NOW.plus(Duration.ofDays(7)),
                "quarter close");
        store.add(ended);
        store.add(running);
        store.add(later);

        assertThat(store.active(NOW)).containsExactlyInAnyOrder(running, later);
    }

    @Test
    void bothKindsOfTargetComeBackWhole() throws Exception {
        SilenceStore store = newStore();
        Silence certificate = forCertificate(NOW.plusSeconds(60));
        String odd = "team\u0000 \uD800 \u001b caf\u00e9 \uD83D\uDE00";
        Silence owner = new Silence(UUID.randomUUID(), new Silence.OwnerTarget(odd), NOW.plusSeconds(120), odd);
        store.add(certificate);
        store.add(owner);

        assertThat(store.active(NOW)).containsExactlyInAnyOrder(certificate, owner);
    }

    @Test
    void aSilenceIsRemovedOnce() throws Exception {
        SilenceStore store = newStore();
        Silence s = forCertificate(NOW.plusSeconds(60));
        Silence other = forCertificate(NOW.plusSeconds(60));
        store.add(s);
        store.add(other);

        assertThat(store.remove(s.id())).isTrue();
        assertThat(store.remove(s.id())).isFalse();
        assertThat(store.remove(UUID.randomUUID())).isFalse();

        assertThat(store.active(NOW)).containsExactly(other);
    }

    @Test
    void addingASilenceWithAnExistingIdReplacesIt() throws Exception {
        SilenceStore store = newStore();
        Silence s = forCertificate(NOW.plusSeconds(60));
        Silence extended = new Silence(s.id(), new Silence.OwnerTarget("payments"), NOW.plus(Duration.ofDays(1)),
                "extended");
        store.add(s);

        store.add(extended);

        assertThat(store.active(NOW)).containsExactly(extended);
        assertThat(store.active(NOW.plus(Duration.ofHours(1)))).containsExactly(extended);
    }
}
