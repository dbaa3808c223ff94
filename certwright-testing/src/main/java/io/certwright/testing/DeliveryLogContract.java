package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.inventory.alert.AlertKind;
import io.certwright.inventory.alert.DeliveryLog;
import io.certwright.inventory.alert.DeliveryOutcome;
import io.certwright.inventory.alert.DeliveryRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/// The contract every [DeliveryLog] must honour: records come back whole, newest first, at most as many as
/// asked for, and concurrent appends are all kept.
///
/// Extend it and implement [#newLog()]; the log must hold at least 1,000 records.
public abstract class DeliveryLogContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    /// A new, empty log holding at least 1,000 records. Called once per test.
    protected abstract DeliveryLog newLog() throws Exception;

    private static DeliveryRecord delivered(int n) {
        return new DeliveryRecord(NOW.plusSeconds(n), "id-" + n, AlertKind.EXPIRING, "webhook", "ops-webhook",
                "https://hooks.example.com:443", DeliveryOutcome.DELIVERED, 1, Optional.empty());
    }

    @Test
    void anEmptyLogHasNoRecords() throws Exception {
        assertThat(newLog().recent(10)).isEmpty();
    }

    @Test
    void recentRecordsComeNewestFirstUpToTheLimit() throws Exception {
        DeliveryLog log = newLog();
        for (int n = 0; n < 12; n++) {
            log.append(delivered(n));
        }

        assertThat(log.recent(5)).containsExactly(delivered(11), delivered(10), delivered(9), delivered(8),
                delivered(7));
        assertThat(log.recent(100)).hasSize(12).first().isEqualTo(delivered(11));
        assertThat(log.recent(0)).isEmpty();
        assertThat(log.recent(-1)).isEmpty();
    }

    @Test
    void recordsComeBackWithEveryField() throws Exception {
        DeliveryLog log = newLog();
        List<DeliveryRecord> records = new ArrayList<>();
        int n = 0;
        for (AlertKind kind : AlertKind.values()) {
            for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
                n++;
                records.add(new DeliveryRecord(NOW.plusMillis(n), "notification-" + n, kind, "email", "ops-mail",
                        "ops@example.com, sre@example.com", outcome, n,
                        outcome == DeliveryOutcome.FAILED ? Optional.of("HTTP 503 after " + n + " attempts")
                                : Optional.empty()));
            }
        }
        records.forEach(log::append);

        assertThat(log.recent(records.size())).containsExactlyElementsOf(records.reversed());
    }

    @Test
    void textThatDatabasesMangleIsLoggedExactly() throws Exception {
        DeliveryLog log = newLog();
        String odd = "x\u0000y \uDC00 \u001b[31m \uD83D\uDE00 caf\u00e9";
        DeliveryRecord r = new DeliveryRecord(NOW, odd, AlertKind.DIGEST, odd, odd, odd, DeliveryOutcome.FAILED, 3,
                Optional.of(odd));

        log.append(r);

        assertThat(log.recent(1)).containsExactly(r);
    }

    @Test
    void concurrentAppendsAreAllKept() throws Exception {
        DeliveryLog log = newLog();
        int threads = 8;
        int each = 25;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            tasks.add(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    log.append(delivered(thread * 1000 + i));
                }
                return null;
            });
        }

        Concurrently.run(tasks, start);

        List<DeliveryRecord> all = log.recent(threads * each + 10);
        assertThat(all).hasSize(threads * each).doesNotHaveDuplicates();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            // Newest first holds for each thread's own records too.
            List<Integer> mine = all.stream().map(r -> Integer.parseInt(r.notificationId().substring("id-".length())))
                    .filter(n -> n / 1000 == thread).toList();
            assertThat(mine).hasSize(each).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        }
    }
}
