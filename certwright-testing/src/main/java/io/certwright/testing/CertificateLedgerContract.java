package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.CertificateLedger;
import io.certwright.ca.LedgerEntry;
import io.certwright.ca.LedgerException;
import io.certwright.ca.PendingCertificate;
import io.certwright.ca.Pem;
import io.certwright.ca.profile.Profile;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/// The contract every [CertificateLedger] must honour. Extend it, implement [#newLedger()], and the
/// implementation is tested against every rule of the port:
///
/// ```java
/// class InMemoryLedgerTest extends CertificateLedgerContract {
///     @Override
///     protected CertificateLedger newLedger() {
///         return new InMemoryLedger();
///     }
/// }
/// ```
public abstract class CertificateLedgerContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    /// A new, empty ledger. Called once per test.
    protected abstract CertificateLedger newLedger() throws Exception;

    /// A pending record for a fresh random serial.
    protected static PendingCertificate pending(SerialNumber serial) {
        byte[] hash = new byte[32];
        RANDOM.nextBytes(hash);
        return new PendingCertificate(serial, Profile.SVID, "", List.of("spiffe://example.org/ns/" + serial.hex()),
                new Validity(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofHours(24))),
                HexFormat.of().formatHex(hash), NOW);
    }

    /// A pending record for a fresh random serial.
    protected static PendingCertificate pending() {
        return pending(SerialNumber.random(RANDOM));
    }

    /// A real certificate, issued by a shared test CA, and a pending record carrying its serial.
    protected static Issued issued() throws Exception {
        X509Certificate cert = Fixture.CA.issueServer(Duration.ofHours(1), "ledger.example.com").certificate();
        SerialNumber serial = new SerialNumber(cert.getSerialNumber());
        return new Issued(pending(serial), cert);
    }

    /// A certificate and the pending record for its serial.
    ///
    /// @param pending the pending record
    /// @param certificate the certificate
    protected record Issued(PendingCertificate pending, X509Certificate certificate) {
    }

    private static final class Fixture {
        static final TestCa CA = create();

        private static TestCa create() {
            try {
                return TestCa.builder(KeyAlgorithm.P256).name("Ledger Contract").build();
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the test CA", e);
            }
        }
    }

    @Test
    void pendingRecordIsFoundUnsigned() throws Exception {
        CertificateLedger ledger = newLedger();
        PendingCertificate p = pending();

        ledger.recordPending(p);

        assertThat(ledger.find(p.serial())).hasValueSatisfying(e -> {
            assertThat(e.pending()).isEqualTo(p);
            assertThat(e.signed()).isFalse();
            assertThat(e.certificatePem()).isEmpty();
        });
    }

    @Test
    void pendingThenSignedRoundTripsTheCertificate() throws Exception {
        CertificateLedger ledger = newLedger();
        Issued i = issued();

        ledger.recordPending(i.pending());
        ledger.recordSigned(i.pending().serial(), i.certificate());

        LedgerEntry entry = ledger.find(i.pending().serial()).orElseThrow();
        assertThat(entry.pending()).isEqualTo(i.pending());
        assertThat(entry.signed()).isTrue();
        List<X509Certificate> stored = Pem.readCertificates(
                entry.certificatePem().orElseThrow().getBytes(StandardCharsets.US_ASCII), "ledger entry");
        assertThat(stored).containsExactly(i.certificate());
    }

    @Test
    void recordPendingRefusesADuplicateSerial() throws Exception {
        CertificateLedger ledger = newLedger();
        PendingCertificate first = pending();
        PendingCertificate again = pending(first.serial());
        ledger.recordPending(first);

        assertThatThrownBy(() -> ledger.recordPending(again)).isInstanceOf(LedgerException.class)
                .hasMessageContaining(first.serial().hex());

        assertThat(ledger.entries()).extracting(LedgerEntry::pending).containsExactly(first);
    }

    @Test
    void recordPendingRefusesTheSerialOfASignedCertificate() throws Exception {
        CertificateLedger ledger = newLedger();
        Issued i = issued();
        ledger.recordPending(i.pending());
        ledger.recordSigned(i.pending().serial(), i.certificate());

        assertThatThrownBy(() -> ledger.recordPending(pending(i.pending().serial())))
                .isInstanceOf(LedgerException.class);

        assertThat(ledger.find(i.pending().serial())).hasValueSatisfying(e -> assertThat(e.signed()).isTrue());
    }

    @Test
    void recordSignedRefusesASerialNeverRecordedPending() throws Exception {
        CertificateLedger ledger = newLedger();
        Issued i = issued();

        assertThatThrownBy(() -> ledger.recordSigned(i.pending().serial(), i.certificate()))
                .isInstanceOf(LedgerException.class).hasMessageContaining(i.pending().serial().hex());

        assertThat(ledger.find(i.pending().serial())).isEmpty();
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void findOfAnUnknownSerialIsEmpty() throws Exception {
        CertificateLedger ledger = newLedger();
        ledger.recordPending(pending());

        assertThat(ledger.find(SerialNumber.random(RANDOM))).isEmpty();
    }

    @Test
    void entriesAreInTheOrderRecordedAndSigningKeepsThePosition() throws Exception {
        CertificateLedger ledger = newLedger();
        List<PendingCertificate> recorded = new ArrayList<>();
        Issued second = issued();
        recorded.add(pending());
        recorded.add(second.pending());
        recorded.add(pending());
        recorded.add(pending());
        for (PendingCertificate p : recorded) {
            ledger.recordPending(p);
        }

        ledger.recordSigned(second.pending().serial(), second.certificate());

        assertThat(ledger.entries()).extracting(LedgerEntry::pending).containsExactlyElementsOf(recorded);
        assertThat(ledger.entries()).extracting(LedgerEntry::signed).containsExactly(false, true, false, false);
    }

    @Test
    void entriesIsASnapshotCallersCannotUseToChangeTheLedger() throws Exception {
        CertificateLedger ledger = newLedger();
        ledger.recordPending(pending());
        List<LedgerEntry> snapshot = ledger.entries();

        ledger.recordPending(pending());

        assertThat(snapshot).hasSize(1);
        assertThat(ledger.entries()).hasSize(2);
    }

    @Test
    void concurrentRecordPendingOfDistinctSerialsRecordsEveryOne() throws Exception {
        CertificateLedger ledger = newLedger();
        int threads = 8;
        int perThread = 25;
        List<List<PendingCertificate>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<PendingCertificate> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(pending());
            }
            work.add(mine);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (List<PendingCertificate> mine : work) {
            tasks.add(() -> {
                start.await();
                for (PendingCertificate p : mine) {
                    ledger.recordPending(p);
                }
                return null;
            });
        }

        Concurrently.run(tasks, start);

        Set<SerialNumber> expected = new HashSet<>();
        work.forEach(mine -> mine.forEach(p -> expected.add(p.serial())));
        assertThat(ledger.entries()).hasSize(threads * perThread);
        assertThat(ledger.entries()).extracting(e -> e.pending().serial()).containsExactlyInAnyOrderElementsOf(expected);
        for (List<PendingCertificate> mine : work) {
            List<PendingCertificate> inOrder = ledger.entries().stream().map(LedgerEntry::pending)
                    .filter(mine::contains).toList();
            assertThat(inOrder).as("one thread's records keep their order").containsExactlyElementsOf(mine);
        }
    }

    @Test
    void concurrentRecordPendingOfOneSerialAdmitsExactlyOne() throws Exception {
        CertificateLedger ledger = newLedger();
        SerialNumber serial = SerialNumber.random(RANDOM);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            PendingCertificate p = pending(serial);
            tasks.add(() -> {
                start.await();
                try {
                    ledger.recordPending(p);
                    return true;
                } catch (LedgerException e) {
                    return false;
                }
            });
        }

        List<Boolean> outcomes = Concurrently.run(tasks, start);

        assertThat(outcomes).containsOnlyOnce(true);
        assertThat(ledger.entries()).hasSize(1);
    }
}
