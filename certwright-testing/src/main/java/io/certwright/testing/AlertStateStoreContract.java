package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.inventory.alert.AlertClaim;
import io.certwright.inventory.alert.AlertKind;
import io.certwright.inventory.alert.AlertStateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/// The contract every [AlertStateStore] must honour: a key is claimed once, however many callers race for it;
/// a released key can be claimed again; claims come back whole, and a resolution closes the claims of its
/// subject on its channel only.
///
/// Extend it and implement [#newStore()].
public abstract class AlertStateStoreContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String FP = "3f".repeat(32);
    private static final int RACE_ROUNDS = 20;
    private static final int RACERS = 8;

    /// A new, empty store. Called once per test.
    protected abstract AlertStateStore newStore() throws Exception;

    private static AlertClaim claim(AlertKind kind, String subject, String detail, String channel) {
        String key = kind.wireName() + "|" + subject + (detail.isEmpty() ? "" : "|" + detail) + "|" + channel;
        return new AlertClaim(key, subject, kind, channel, NOW);
    }

    @Test
    void theFirstClaimOfAKeyWinsAndEveryLaterOneLoses() throws Exception {
        AlertStateStore store = newStore();
        AlertClaim first = claim(AlertKind.EXPIRING, FP, "604800", "ops-webhook");
        AlertClaim sameKey = new AlertClaim(first.key(), "other", AlertKind.EXPIRED, "other", NOW.plusSeconds(60));

        assertThat(store.tryClaim(first)).isTrue();
        assertThat(store.tryClaim(first)).isFalse();
        assertThat(store.tryClaim(sameKey)).isFalse();

        assertThat(store.openClaims()).containsExactly(first);
    }

    @Test
    void aReleasedKeyCanBeClaimedAgain() throws Exception {
        AlertStateStore store = newStore();
        AlertClaim c = claim(AlertKind.EXPIRING, FP, "604800", "ops-webhook");
        store.tryClaim(c);

        store.release(c.key());

        assertThat(store.openClaims()).isEmpty();
        assertThat(store.tryClaim(c)).isTrue();
        assertThat(store.openClaims()).containsExactly(c);
    }

    @Test
    void releasingAnUnknownKeyChangesNothing() throws Exception {
        AlertStateStore store = newStore();
        AlertClaim c = claim(AlertKind.EXPIRED, FP, "", "ops-webhook");
        store.tryClaim(c);

        store.release("expired|unknown|ops-webhook");

        assertThat(store.openClaims()).containsExactly(c);
    }

    @Test
    void aResolutionClosesEveryClaimOfItsSubjectOnItsChannelOnly() throws Exception {
        AlertStateStore store = newStore();
        String other = "7a".repeat(32);
        AlertClaim expiring14 = claim(AlertKind.EXPIRING, FP, "1209600", "ops-webhook");
        AlertClaim expiring7 = claim(AlertKind.EXPIRING, FP, "604800", "ops-webhook");
        AlertClaim onEmail = claim(AlertKind.EXPIRING, FP, "604800", "ops-email");
        AlertClaim otherCertificate = claim(AlertKind.EXPIRING, other, "604800", "ops-webhook");
        AlertClaim digest = claim(AlertKind.DIGEST, "owner:payments", "2030-01-01", "ops-webhook");
        for (AlertClaim c : List.of(expiring14, expiring7, onEmail, otherCertificate, digest)) {
            assertThat(store.tryClaim(c)).isTrue();
        }

        assertThat(store.tryClaim(claim(AlertKind.RESOLVED, FP, "", "ops-webhook"))).isTrue();

        assertThat(store.openClaims()).containsExactlyInAnyOrder(onEmail, otherCertificate, digest);
    }

    @Test
    void claimsComeBackWithEveryField() throws Exception {
        AlertStateStore store = newStore();
        List<AlertClaim> claims = new ArrayList<>();
        int n = 0;
        for (AlertKind kind : AlertKind.values()) {
            if (kind != AlertKind.RESOLVED) {
                claims.add(new AlertClaim(kind.wireName() + "|" + FP + "|ch", FP, kind, "ch", NOW.plusMillis(++n)));
            }
        }
        claims.forEach(store::tryClaim);

        assertThat(store.openClaims()).containsExactlyInAnyOrderElementsOf(claims);
    }

    @Test
    void longKeysAndTextThatDatabasesMangleAreClaimedExactly() throws Exception {
        AlertStateStore store = newStore();
        String channel = "ch\u0000an\uD800nel \u001b " + "x".repeat(4_000);
        AlertClaim longKey = claim(AlertKind.EXPIRING, FP, "604800", channel);
        AlertClaim similar = claim(AlertKind.EXPIRING, FP, "604800", channel.replace('\u0000', '?'));
        AlertClaim alsoSimilar = claim(AlertKind.EXPIRING, FP, "604800", channel.replace("\uD800", "?"));

        assertThat(store.tryClaim(longKey)).isTrue();
        assertThat(store.tryClaim(similar)).as("a key differing only in a NUL").isTrue();
        assertThat(store.tryClaim(alsoSimilar)).as("a key differing only in an unpaired surrogate").isTrue();
        assertThat(store.tryClaim(longKey)).isFalse();

        assertThat(store.openClaims()).containsExactlyInAnyOrder(longKey, similar, alsoSimilar);
        store.release(longKey.key());
        assertThat(store.openClaims()).containsExactlyInAnyOrder(similar, alsoSimilar);
    }

    @Test
    void callersRacingForOneKeyHaveExactlyOneWinner() throws Exception {
        AlertStateStore store = newStore();
        for (int round = 0; round < RACE_ROUNDS; round++) {
            String channel = "channel-" + round;
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int r = 0; r < RACERS; r++) {
                AlertClaim c = new AlertClaim("expiring|" + FP + "|86400|" + channel, FP, AlertKind.EXPIRING, channel,
                        NOW.plusSeconds(r));
                tasks.add(() -> {
                    start.await();
                    return store.tryClaim(c);
                });
            }

            List<Boolean> outcomes = Concurrently.run(tasks, start);

            assertThat(outcomes).as("round %d", round).filteredOn(Boolean::booleanValue).hasSize(1);
        }
        assertThat(store.openClaims()).hasSize(RACE_ROUNDS);
    }
}
