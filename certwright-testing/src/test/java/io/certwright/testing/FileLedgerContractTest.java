package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.CertificateLedger;
import io.certwright.ca.FileLedger;
import io.certwright.ca.LedgerEntry;
import io.certwright.ca.LedgerException;
import io.certwright.ca.PendingCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLedgerContractTest extends CertificateLedgerContract {

    @TempDir
    Path tmp;

    private final AtomicInteger ledgers = new AtomicInteger();

    @Override
    protected CertificateLedger newLedger() throws Exception {
        return FileLedger.open(tmp.resolve("ledger-" + ledgers.incrementAndGet()));
    }

    @Test
    void reopenedLedgerReplaysPendingAndSignedEntriesInOrder() throws Exception {
        Path dir = tmp.resolve("replayed");
        FileLedger ledger = FileLedger.open(dir);
        PendingCertificate unsigned = pending();
        Issued signed = issued();
        ledger.recordPending(unsigned);
        ledger.recordPending(signed.pending());
        ledger.recordSigned(signed.pending().serial(), signed.certificate());

        FileLedger reopened = FileLedger.open(dir);

        assertThat(reopened.entries()).containsExactlyElementsOf(ledger.entries());
        assertThat(reopened.find(unsigned.serial())).hasValueSatisfying(e -> {
            assertThat(e.pending()).isEqualTo(unsigned);
            assertThat(e.signed()).isFalse();
        });
        LedgerEntry e = reopened.find(signed.pending().serial()).orElseThrow();
        assertThat(e.pending()).isEqualTo(signed.pending());
        assertThat(e.certificatePem()).isEqualTo(ledger.find(signed.pending().serial()).orElseThrow().certificatePem());
        assertThat(Files.readString(dir.resolve("certs").resolve(signed.pending().serial().hex() + ".pem")))
                .isEqualTo(e.certificatePem().orElseThrow());
    }

    @Test
    void reopenedLedgerStillRefusesSerialsRecordedBefore() throws Exception {
        Path dir = tmp.resolve("refusing");
        PendingCertificate p = pending();
        FileLedger.open(dir).recordPending(p);

        FileLedger reopened = FileLedger.open(dir);

        assertThatThrownBy(() -> reopened.recordPending(pending(p.serial()))).isInstanceOf(LedgerException.class);
        assertThat(FileLedger.open(dir).entries()).extracting(LedgerEntry::pending).containsExactly(p);
    }

    @Test
    void pendingEntryCanBeSignedAfterReopening() throws Exception {
        Path dir = tmp.resolve("resumed");
        Issued i = issued();
        FileLedger.open(dir).recordPending(i.pending());

        FileLedger reopened = FileLedger.open(dir);
        reopened.recordSigned(i.pending().serial(), i.certificate());

        assertThat(FileLedger.open(dir).find(i.pending().serial()))
                .hasValueSatisfying(e -> assertThat(e.signed()).isTrue());
    }
}
