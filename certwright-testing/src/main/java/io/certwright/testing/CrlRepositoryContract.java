package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.registry.CrlPublication;
import io.certwright.ca.registry.CrlRepository;
import io.certwright.ca.registry.PublishedCrl;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/// The contract every [CrlRepository] must honour: CRL numbers start at 1 and move up by exactly one, a
/// number is published at most once per CA however many publishers race for it, losers learn the winner
/// without an exception, and only the most recent CRLs are kept.
///
/// Extend it and implement [#newRepository()]; [#keep()] says how many CRLs it keeps per CA.
public abstract class CrlRepositoryContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final int RACE_ROUNDS = 20;
    private static final int RACERS = 6;

    /// A new, empty repository. Called once per test.
    protected abstract CrlRepository newRepository() throws Exception;

    /// How many CRLs per CA the repository from [#newRepository()] keeps; at least 2.
    protected abstract int keep();

    private static byte[] der(String caId, long number, String publisher) {
        return ("CRL " + caId + " #" + number + " by " + publisher).getBytes(StandardCharsets.UTF_8);
    }

    private static CrlPublication publish(CrlRepository r, String caId, long number) throws Exception {
        return publish(r, caId, BigInteger.valueOf(number), "test");
    }

    private static CrlPublication publish(CrlRepository r, String caId, BigInteger number, String publisher)
            throws Exception {
        Instant thisUpdate = NOW.plus(Duration.ofHours(number.longValue() % 1000));
        return r.publish(caId, number, thisUpdate, thisUpdate.plus(Duration.ofHours(24)),
                der(caId, number.longValue(), publisher));
    }

    private static PublishedCrl published(CrlPublication p) {
        assertThat(p).isInstanceOf(CrlPublication.Published.class);
        return ((CrlPublication.Published) p).crl();
    }

    @Test
    void aCaWithoutCrlsHasNoLatestAndNoHistory() throws Exception {
        CrlRepository r = newRepository();

        assertThat(r.latest("intermediate")).isEmpty();
        assertThat(r.recent("intermediate")).isEmpty();
    }

    @Test
    void theFirstCrlIsNumberOneAndBecomesTheLatest() throws Exception {
        CrlRepository r = newRepository();
        byte[] der = der("intermediate", 1, "test");

        CrlPublication p = r.publish("intermediate", BigInteger.ONE, NOW, NOW.plus(Duration.ofDays(1)), der);

        PublishedCrl crl = published(p);
        assertThat(crl).isEqualTo(new PublishedCrl("intermediate", BigInteger.ONE, NOW, NOW.plus(Duration.ofDays(1)),
                der));
        assertThat(r.latest("intermediate")).contains(crl);
        assertThat(r.latest("intermediate").orElseThrow().der()).isEqualTo(der);
    }

    @Test
    void aFirstCrlNumberedOtherThanOneIsRefusedWithNothingPublished() throws Exception {
        CrlRepository r = newRepository();

        assertThat(publish(r, "intermediate", 2)).isEqualTo(new CrlPublication.Refused(Optional.empty()));
        assertThat(r.latest("intermediate")).isEmpty();
    }

    @Test
    void eachNextNumberBecomesTheLatest() throws Exception {
        CrlRepository r = newRepository();

        for (long n = 1; n <= 3; n++) {
            PublishedCrl crl = published(publish(r, "intermediate", n));
            assertThat(r.latest("intermediate")).contains(crl);
        }
        assertThat(r.latest("intermediate").orElseThrow().number()).isEqualTo(3);
    }

    @Test
    void aRepeatedSkippedOrEarlierNumberIsRefusedWithTheCurrentLatest() throws Exception {
        CrlRepository r = newRepository();
        publish(r, "intermediate", 1);
        PublishedCrl latest = published(publish(r, "intermediate", 2));

        for (long wrong : new long[] {2, 1, 4, 100}) {
            assertThat(publish(r, "intermediate", BigInteger.valueOf(wrong), "late"))
                    .as("number %d", wrong).isEqualTo(new CrlPublication.Refused(Optional.of(latest)));
        }
        assertThat(r.latest("intermediate")).contains(latest);
    }

    @Test
    void eachCaHasItsOwnNumbers() throws Exception {
        CrlRepository r = newRepository();
        publish(r, "root", 1);
        publish(r, "intermediate", 1);
        PublishedCrl second = published(publish(r, "intermediate", 2));

        assertThat(r.latest("root").orElseThrow().number()).isEqualTo(1);
        assertThat(r.latest("intermediate")).contains(second);
        assertThat(publish(r, "root", 2)).isInstanceOf(CrlPublication.Published.class);
    }

    @Test
    void onlyTheMostRecentCrlsAreKept() throws Exception {
        CrlRepository r = newRepository();
        int total = keep() + 3;
        for (long n = 1; n <= total; n++) {
            publish(r, "intermediate", n);
        }
        publish(r, "root", 1);

        assertThat(r.recent("intermediate")).extracting(PublishedCrl::number).containsExactlyElementsOf(
                IntStream.iterate(total, n -> n > total - keep(), n -> n - 1).mapToObj(BigInteger::valueOf).toList());
        assertThat(r.recent("root")).hasSize(1);
        assertThat(publish(r, "intermediate", 1)).isInstanceOf(CrlPublication.Refused.class);
    }

    @Test
    void numbersKeepNumericOrderAcrossHexDigitBoundaries() throws Exception {
        CrlRepository r = newRepository();

        for (long n = 1; n <= 17; n++) {
            published(publish(r, "intermediate", n));
        }

        assertThat(r.latest("intermediate").orElseThrow().number()).isEqualTo(17);
        assertThat(r.recent("intermediate").getFirst().number()).isEqualTo(17);
        assertThat(publish(r, "intermediate", 16)).isInstanceOf(CrlPublication.Refused.class);
    }

    @Test
    void invalidPublicationsAreRejectedAndStoreNothing() throws Exception {
        CrlRepository r = newRepository();
        byte[] der = {1, 2, 3};

        assertThatThrownBy(() -> r.publish(" ", BigInteger.ONE, NOW, NOW.plusSeconds(1), der))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.publish("x".repeat(PublishedCrl.MAX_CA_ID_LENGTH + 1), BigInteger.ONE, NOW,
                NOW.plusSeconds(1), der)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.publish("ca", BigInteger.ZERO, NOW, NOW.plusSeconds(1), der))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.publish("ca", BigInteger.valueOf(-1), NOW, NOW.plusSeconds(1), der))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.publish("ca", PublishedCrl.MAX_NUMBER.add(BigInteger.ONE), NOW,
                NOW.plusSeconds(1), der)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.publish("ca", BigInteger.ONE, NOW, NOW, der))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.publish("ca", BigInteger.ONE, NOW, NOW.plusSeconds(1), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(r.latest("ca")).isEmpty();
    }

    @Test
    void publishedBytesCannotBeChangedThroughTheArrays() throws Exception {
        CrlRepository r = newRepository();
        byte[] der = {1, 2, 3};
        PublishedCrl crl = published(r.publish("ca", BigInteger.ONE, NOW, NOW.plusSeconds(60), der));

        der[0] = 9;
        crl.der()[1] = 9;

        assertThat(r.latest("ca").orElseThrow().der()).containsExactly(1, 2, 3);
        assertThat(crl.der()).containsExactly(1, 2, 3);
    }

    @Test
    void publishersRacingForTheSameNumberHaveExactlyOneWinnerAndTheLosersLearnIt() throws Exception {
        CrlRepository r = newRepository();
        for (long round = 1; round <= RACE_ROUNDS; round++) {
            BigInteger number = BigInteger.valueOf(round);
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<CrlPublication>> tasks = new ArrayList<>();
            for (int p = 0; p < RACERS; p++) {
                String publisher = "publisher-" + p;
                tasks.add(() -> {
                    start.await();
                    return publish(r, "intermediate", number, publisher);
                });
            }

            List<CrlPublication> outcomes = Concurrently.run(tasks, start);

            List<PublishedCrl> winners = outcomes.stream().filter(CrlPublication.Published.class::isInstance)
                    .map(o -> ((CrlPublication.Published) o).crl()).toList();
            assertThat(winners).as("round %d", round).hasSize(1);
            PublishedCrl winner = winners.getFirst();
            assertThat(winner.number()).isEqualTo(number);
            assertThat(outcomes).filteredOn(o -> o instanceof CrlPublication.Refused)
                    .as("round %d", round).hasSize(RACERS - 1)
                    .allSatisfy(o -> assertThat(o).isEqualTo(new CrlPublication.Refused(Optional.of(winner))));
            assertThat(r.latest("intermediate")).contains(winner);
        }
    }
}
