package io.certwright.testing;

import static io.certwright.testing.InventoryEntries.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.InventoryStore;
import io.certwright.inventory.Ownership;
import io.certwright.inventory.Place;
import io.certwright.inventory.Sighting;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/// The contract every [InventoryStore] must honour: entries are stored and read back whole, an insert wins
/// only for a new fingerprint and a replace only on the version it read, so that of any number of concurrent
/// writers exactly one wins each race and no update is lost; iteration visits every entry once, also while
/// entries are replaced; the owner and expiry queries return exactly the matching entries.
///
/// Times are kept at least to the millisecond. Extend it and implement [#newStore()].
public abstract class InventoryStoreContract {

    private static final int RACE_ROUNDS = 15;
    private static final int RACERS = 6;

    /// A new, empty store. Called once per test.
    protected abstract InventoryStore newStore() throws Exception;

    /// How many entries the iteration tests store: enough to cross an implementation's fetch size.
    protected int iterationSize() {
        return 2_500;
    }

    private static List<InventoryEntry> all(InventoryStore store) {
        List<InventoryEntry> out = new ArrayList<>();
        store.forEach(out::add);
        return out;
    }

    /// Inserts `count` plain entries named `prefix0`, `prefix1`, ..., the one of index `i` expiring `i` hours
    /// after [InventoryEntries#BASE]; from several threads, so that a group-committing store commits them
    /// together.
    private static void fill(InventoryStore store, String prefix, int count) throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            tasks.add(() -> {
                start.await();
                int inserted = 0;
                for (int i = first; i < count; i += threads) {
                    if (store.insert(InventoryEntries.plain(prefix + i, BASE.plus(Duration.ofHours(i))))) {
                        inserted++;
                    }
                }
                return inserted;
            });
        }
        assertThat(Concurrently.run(tasks, start).stream().mapToInt(Integer::intValue).sum()).isEqualTo(count);
    }

    private static List<InventoryEntry> ownedBy(InventoryStore store, String owner) {
        List<InventoryEntry> out = new ArrayList<>();
        store.forEachOwnedBy(owner, out::add);
        return out;
    }

    private static List<InventoryEntry> expiringBefore(InventoryStore store, Instant instant) {
        List<InventoryEntry> out = new ArrayList<>();
        store.forEachExpiringBefore(instant, out::add);
        return out;
    }

    @Test
    void anEmptyStoreFindsNothingCountsZeroAndVisitsNothing() throws Exception {
        InventoryStore store = newStore();

        assertThat(store.find(InventoryEntries.certificate("absent").fingerprint())).isEmpty();
        assertThat(store.count()).isZero();
        assertThat(all(store)).isEmpty();
        assertThat(ownedBy(store, "payments")).isEmpty();
        assertThat(expiringBefore(store, BASE.plus(Duration.ofDays(10_000)))).isEmpty();
    }

    @Test
    void anInsertedEntryIsFoundWholeWithEveryField() throws Exception {
        InventoryStore store = newStore();
        InventoryEntry entry = InventoryEntries.rich("api");

        assertThat(store.insert(entry)).isTrue();

        InventoryEntry found = store.find(entry.fingerprint()).orElseThrow();
        assertThat(found).isEqualTo(entry);
        assertThat(found.chain()).containsExactlyElementsOf(entry.chain());
        assertThat(found.certificate().der()).isEqualTo(entry.certificate().der());
        assertThat(found.sightings()).extracting(Sighting::place).containsExactlyElementsOf(entry.places());
        assertThat(store.count()).isEqualTo(1);
        assertThat(all(store)).containsExactly(entry);
    }

    @Test
    void aSecondInsertOfTheSameFingerprintLosesAndTheFirstStays() throws Exception {
        InventoryStore store = newStore();
        InventoryEntry first = InventoryEntries.rich("api");
        InventoryEntry second = InventoryEntries.plain("api", InventoryEntries.BASE.plus(Duration.ofDays(30)));

        assertThat(store.insert(first)).isTrue();
        assertThat(store.insert(second)).isFalse();

        assertThat(store.find(first.fingerprint())).contains(first);
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void anInsertWithAVersionOtherThanOneIsRejectedAndStoresNothing() throws Exception {
        InventoryStore store = newStore();
        InventoryEntry second = InventoryEntries.ownedBy(InventoryEntries.plain("api", BASE), "payments");

        assertThatThrownBy(() -> store.insert(second)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.find(second.fingerprint())).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void aReplaceWithTheNextVersionWinsAndAStaleOneLoses() throws Exception {
        InventoryStore store = newStore();
        InventoryEntry v1 = InventoryEntries.plain("api", BASE);
        store.insert(v1);
        InventoryEntry mine = InventoryEntries.ownedBy(v1, "payments");
        InventoryEntry theirs = InventoryEntries.ownedBy(v1, "identity");

        assertThat(store.replace(mine)).isTrue();
        assertThat(store.replace(theirs)).as("a replace based on version 1 after version 2 was stored").isFalse();

        assertThat(store.find(v1.fingerprint())).contains(mine);
        assertThat(store.find(v1.fingerprint()).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aReplaceThatSkipsOrRepeatsAVersionLoses() throws Exception {
        InventoryStore store = newStore();
        InventoryEntry v1 = InventoryEntries.plain("api", BASE);
        store.insert(v1);
        InventoryEntry v3 = InventoryEntries.ownedBy(InventoryEntries.ownedBy(v1, "a"), "b");

        assertThat(store.replace(v3)).isFalse();
        assertThat(store.replace(v1)).as("version 1 over version 1").isFalse();

        assertThat(store.find(v1.fingerprint())).contains(v1);
    }

    @Test
    void aReplaceOfAnUnknownFingerprintLosesAndStoresNothing() throws Exception {
        InventoryStore store = newStore();
        InventoryEntry v2 = InventoryEntries.ownedBy(InventoryEntries.plain("api", BASE), "payments");

        assertThat(store.replace(v2)).isFalse();

        assertThat(store.find(v2.fingerprint())).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void concurrentInsertsOfOneFingerprintHaveExactlyOneWinnerWhoseEntryIsStored() throws Exception {
        InventoryStore store = newStore();
        for (int round = 0; round < RACE_ROUNDS; round++) {
            String seed = "race-" + round;
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Optional<InventoryEntry>>> tasks = new ArrayList<>();
            for (int r = 0; r < RACERS; r++) {
                InventoryEntry candidate = InventoryEntries.seenAt(InventoryEntries.plain(seed, BASE), "/racer/" + r,
                        BASE);
                InventoryEntry v1 = new InventoryEntry(candidate.facts(), candidate.certificate(), candidate.chain(),
                        false, Optional.empty(), candidate.sightings(), candidate.ownership(), BASE, BASE, 1);
                tasks.add(() -> {
                    start.await();
                    return store.insert(v1) ? Optional.of(v1) : Optional.empty();
                });
            }

            List<Optional<InventoryEntry>> outcomes = Concurrently.run(tasks, start);

            List<InventoryEntry> winners = outcomes.stream().flatMap(Optional::stream).toList();
            assertThat(winners).as("round %d", round).hasSize(1);
            assertThat(store.find(winners.getFirst().fingerprint())).contains(winners.getFirst());
        }
        assertThat(store.count()).isEqualTo(RACE_ROUNDS);
    }

    @Test
    void concurrentReplacesOfOneVersionHaveExactlyOneWinnerWhoseEntryIsStored() throws Exception {
        InventoryStore store = newStore();
        InventoryEntry current = InventoryEntries.plain("api", BASE);
        store.insert(current);
        for (int round = 0; round < RACE_ROUNDS; round++) {
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Optional<InventoryEntry>>> tasks = new ArrayList<>();
            for (int r = 0; r < RACERS; r++) {
                InventoryEntry next = InventoryEntries.ownedBy(current, "owner-" + round + "-" + r);
                tasks.add(() -> {
                    start.await();
                    return store.replace(next) ? Optional.of(next) : Optional.empty();
                });
            }

            List<InventoryEntry> winners = Concurrently.run(tasks, start).stream().flatMap(Optional::stream).toList();

            assertThat(winners).as("round %d", round).hasSize(1);
            current = store.find(current.fingerprint()).orElseThrow();
            assertThat(current).isEqualTo(winners.getFirst());
            assertThat(current.version()).isEqualTo(round + 2L);
        }
    }

    @Test
    void writersThatRereadAndRetryLoseNoUpdate() throws Exception {
        InventoryStore store = newStore();
        InventoryEntry v1 = InventoryEntries.plain("api", BASE);
        store.insert(v1);
        int writers = 8;
        int updatesEach = 5;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            tasks.add(() -> {
                start.await();
                int lost = 0;
                for (int u = 0; u < updatesEach; u++) {
                    while (true) {
                        InventoryEntry read = store.find(v1.fingerprint()).orElseThrow();
                        if (store.replace(InventoryEntries.seenAt(read, "/w" + writer + "/u" + u, BASE))) {
                            break;
                        }
                        lost++;
                    }
                }
                return lost;
            });
        }

        Concurrently.run(tasks, start);

        InventoryEntry last = store.find(v1.fingerprint()).orElseThrow();
        assertThat(last.version()).isEqualTo(1L + (long) writers * updatesEach);
        assertThat(last.sightings()).hasSize(writers * updatesEach)
                .extracting(s -> ((Place.File) s.place()).path()).doesNotHaveDuplicates();
    }

    @Test
    void iterationVisitsEveryEntryExactlyOnce() throws Exception {
        InventoryStore store = newStore();
        int n = iterationSize();
        fill(store, "e", n);

        List<InventoryEntry> visited = all(store);

        assertThat(store.count()).isEqualTo(n);
        assertThat(visited).hasSize(n).extracting(InventoryEntry::fingerprint).doesNotHaveDuplicates();
        assertThat(visited).extracting(e -> e.facts().subject()).contains("CN=e0,O=Example",
                "CN=e" + (n - 1) + ",O=Example");
    }

    @Test
    void entriesReplacedDuringIterationAreVisitedOnce() throws Exception {
        InventoryStore store = newStore();
        int n = iterationSize();
        fill(store, "e", n);
        Map<Fingerprint, Integer> visits = new HashMap<>();
        int every = 5;

        store.forEach(e -> {
            if (visits.merge(e.fingerprint(), 1, Integer::sum) == 1 && visits.size() % every == 0) {
                InventoryEntry current = store.find(e.fingerprint()).orElseThrow();
                assertThat(store.replace(InventoryEntries.ownedBy(current, "visited"))).isTrue();
            }
        });

        assertThat(visits).hasSize(n).allSatisfy((fp, count) -> assertThat(count).isEqualTo(1));
        assertThat(ownedBy(store, "visited")).hasSize(n / every);
    }

    @Test
    void anActionThatThrowsStopsTheIterationAndTheStoreStaysUsable() throws Exception {
        InventoryStore store = newStore();
        fill(store, "e", 50);
        AtomicInteger calls = new AtomicInteger();

        for (int attempt = 0; attempt < 20; attempt++) {
            assertThatThrownBy(() -> store.forEach(e -> {
                calls.incrementAndGet();
                throw new IllegalStateException("stop");
            })).hasMessage("stop");
        }

        assertThat(calls).hasValue(20);
        assertThat(store.count()).isEqualTo(50);
        assertThat(store.insert(InventoryEntries.plain("after", BASE))).isTrue();
    }

    @Test
    void theOwnerQueryReturnsExactlyTheEntriesOfThatOwnerAsTheyAreNow() throws Exception {
        InventoryStore store = newStore();
        List<InventoryEntry> payments = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            InventoryEntry v1 = InventoryEntries.plain("e" + i, BASE);
            store.insert(v1);
            String owner = i % 3 == 0 ? "payments" : i % 3 == 1 ? "identity" : "payments-team";
            InventoryEntry v2 = InventoryEntries.ownedBy(v1, owner);
            store.replace(v2);
            if (owner.equals("payments")) {
                payments.add(v2);
            }
        }
        store.insert(InventoryEntries.plain("unowned", BASE));
        InventoryEntry moved = payments.removeFirst();
        store.replace(InventoryEntries.ownedBy(moved, "identity"));

        assertThat(ownedBy(store, "payments")).containsExactlyInAnyOrderElementsOf(payments);
        assertThat(ownedBy(store, "identity")).hasSize(11);
        assertThat(ownedBy(store, "Payments")).isEmpty();
        assertThat(ownedBy(store, "")).isEmpty();
    }

    @Test
    void theExpiryQueryReturnsTheEntriesExpiringBeforeAnInstantSoonestFirst() throws Exception {
        InventoryStore store = newStore();
        List<Integer> days = List.of(40, 3, 90, 14, 1, 30, 7, 365, -2);
        for (int d : days) {
            store.insert(InventoryEntries.plain("d" + d, BASE.plus(Duration.ofDays(d))));
        }

        List<InventoryEntry> within30 = expiringBefore(store, BASE.plus(Duration.ofDays(30)));

        assertThat(within30).extracting(e -> e.facts().subject())
                .containsExactly("CN=d-2,O=Example", "CN=d1,O=Example", "CN=d3,O=Example", "CN=d7,O=Example",
                        "CN=d14,O=Example");
        assertThat(expiringBefore(store, BASE.minus(Duration.ofDays(2)))).as("notAfter equal to the instant").isEmpty();
        assertThat(expiringBefore(store, BASE.plus(Duration.ofDays(400)))).hasSize(days.size());
    }

    @Test
    void textThatDatabasesMangleIsStoredExactly() throws Exception {
        InventoryStore store = newStore();
        String odd = "a\u0000b \u001b[0m \uD800 lone \uDC00 \uD83D\uDE00 caf\u00e9 'q' \"d\" \\ %";
        InventoryEntry base = InventoryEntries.plain("odd", BASE);
        TreeMap<String, String> labels = new TreeMap<>(Map.of(odd, odd, "team", "x\u0000y"));
        Ownership ownership = new Ownership(Optional.of(odd), labels, Ownership.Source.MANUAL, Optional.empty());
        InventoryEntry entry = new InventoryEntry(base.facts(), base.certificate(), List.of(), false, Optional.empty(),
                List.of(new Sighting(new Place.KeystoreEntry("/k\u0000/" + odd, odd), BASE, BASE, Optional.empty()),
                        new Sighting(new Place.File(odd), BASE, BASE, Optional.empty())),
                ownership, BASE, BASE, 1);

        assertThat(store.insert(entry)).isTrue();

        assertThat(store.find(entry.fingerprint())).contains(entry);
        assertThat(ownedBy(store, odd)).containsExactly(entry);
        assertThat(ownedBy(store, odd.replace('\u0000', '?'))).isEmpty();
        assertThat(ownedBy(store, odd.replace("\uD800", "?"))).isEmpty();
    }

    @Test
    void timesAreKeptAtLeastToTheMillisecond() throws Exception {
        InventoryStore store = newStore();
        Instant precise = BASE.plusNanos(123_456_789);
        InventoryEntry base = InventoryEntries.plain("precise", BASE);
        InventoryEntry entry = new InventoryEntry(base.facts(), base.certificate(), List.of(), false,
                Optional.of(precise), List.of(new Sighting(new Place.File("/p"), precise, precise, Optional.empty())),
                Ownership.none(), precise, precise, 1);

        store.insert(entry);

        InventoryEntry found = store.find(entry.fingerprint()).orElseThrow();
        Instant millis = precise.truncatedTo(ChronoUnit.MILLIS);
        assertThat(found.firstSeen()).isBetween(millis, precise);
        assertThat(found.lastSeen()).isBetween(millis, precise);
        assertThat(found.revokedAt().orElseThrow()).isBetween(millis, precise);
        assertThat(found.sightings().getFirst().lastSeen()).isBetween(millis, precise);
    }
}
