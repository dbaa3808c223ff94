package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.audit.AuditChain;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/// The contract every [AuditLog] must honour: entries are hash-chained links numbered from 1 without gaps,
/// even under concurrent appends, read back exactly as appended, and an altered entry is detected by
/// [AuditChain.Verifier].
///
/// Extend it, implement [#newLog()] and [#tamper], and the implementation is tested against every rule.
public abstract class AuditLogContract {

    /// A new, empty log. Called once per test.
    protected abstract AuditLog newLog() throws Exception;

    /// Alters the stored entry `sequence` of `log` behind its back (for example changes its actor with SQL),
    /// as an attacker with write access to the storage would.
    protected abstract void tamper(AuditLog log, long sequence) throws Exception;

    /// An event numbered `i`.
    protected static AuditEvent event(int i) {
        return AuditEvent.success("token:t" + i, "certificate.issue", "serial-" + i,
                Map.of("profile", "svid", "names", "spiffe://example.org/w" + i + ",ünïcödé"));
    }

    @Test
    void firstEntryStartsTheChain() throws Exception {
        AuditLog log = newLog();

        AuditEntry first = log.append(event(1));

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.previousHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(first.hash()).isEqualTo(AuditChain.hash(1, first.time(), first.event(), AuditChain.GENESIS));
        assertThat(first.event()).isEqualTo(event(1));
    }

    @Test
    void appendsLinkEachEntryToThePreviousOne() throws Exception {
        AuditLog log = newLog();
        List<AuditEntry> appended = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            appended.add(log.append(event(i)));
        }

        for (int i = 1; i < appended.size(); i++) {
            assertThat(appended.get(i).sequence()).isEqualTo(i + 1);
            assertThat(appended.get(i).previousHash()).isEqualTo(appended.get(i - 1).hash());
        }
        assertThat(log.read(1, 100)).containsExactlyElementsOf(appended);
        assertThat(verify(log)).isEmpty();
    }

    @Test
    void readPagesFromASequence() throws Exception {
        AuditLog log = newLog();
        for (int i = 1; i <= 7; i++) {
            log.append(event(i));
        }

        assertThat(log.read(3, 2)).extracting(AuditEntry::sequence).containsExactly(3L, 4L);
        assertThat(log.read(6, 10)).extracting(AuditEntry::sequence).containsExactly(6L, 7L);
        assertThat(log.read(8, 10)).isEmpty();
        assertThat(log.read(1, 3)).extracting(e -> e.event().target()).containsExactly("serial-1", "serial-2",
                "serial-3");
    }

    @Test
    void concurrentAppendersLeaveNoGapsAndAnIntactChain() throws Exception {
        AuditLog log = newLog();
        int threads = 8;
        int perThread = 20;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<AuditEntry>>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            tasks.add(() -> {
                start.await();
                List<AuditEntry> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(log.append(event(base + i)));
                }
                return mine;
            });
        }

        List<List<AuditEntry>> results = Concurrently.run(tasks, start);

        List<AuditEntry> all = log.read(1, threads * perThread + 10);
        assertThat(all).extracting(AuditEntry::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, (long) threads * perThread).boxed().toList());
        assertThat(results.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(verify(log)).isEmpty();
    }

    @Test
    void anAlteredEntryIsDetected() throws Exception {
        AuditLog log = newLog();
        for (int i = 1; i <= 4; i++) {
            log.append(event(i));
        }
        assertThat(verify(log)).isEmpty();

        tamper(log, 3);

        assertThat(verify(log)).hasValueSatisfying(problem -> assertThat(problem).contains("3"));
    }

    /// Reads the whole log and returns the first problem [AuditChain.Verifier] finds.
    protected static Optional<String> verify(AuditLog log) throws Exception {
        AuditChain.Verifier verifier = new AuditChain.Verifier();
        long from = 1;
        while (true) {
            List<AuditEntry> page = log.read(from, 50);
            for (AuditEntry e : page) {
                Optional<String> problem = verifier.accept(e);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            if (page.isEmpty()) {
                return Optional.empty();
            }
            from = page.getLast().sequence() + 1;
        }
    }
}
