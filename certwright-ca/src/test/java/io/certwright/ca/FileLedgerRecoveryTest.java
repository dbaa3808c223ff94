package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLedgerRecoveryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-03-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void reopenedLedgerRecoversSignedAndPendingEntriesOfACa(@TempDir Path dir) throws Exception {
        FileLedger ledger = FileLedger.open(dir.resolve("ledger"));
        CaFixture f = CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org").clock(CLOCK).ledger(ledger).build();
        KeyPair key = CaFixture.keyPair(KeyAlgorithm.P256);
        IssuedCertificate signed = f.svid(key, "spiffe://example.org/signed");
        f.signer.fail.set(true);
        assertThrows(GeneralSecurityException.class, () -> f.svid(key, "spiffe://example.org/pending"));
        List<LedgerEntry> before = ledger.entries();

        FileLedger reopened = FileLedger.open(dir.resolve("ledger"));

        assertThat(reopened.entries()).containsExactlyElementsOf(before);
        assertThat(reopened.entries()).extracting(LedgerEntry::signed).containsExactly(true, true, true, false);
        assertThat(reopened.find(signed.serial()).orElseThrow().certificatePem())
                .contains(Pem.certificate(signed.certificate()));
        assertThat(reopened.entries().getLast().pending().names()).containsExactly("spiffe://example.org/pending");
        assertThat(reopened.find(new SerialNumber(f.root().getSerialNumber())))
                .hasValueSatisfying(e -> assertThat(e.pending().subject()).isEqualTo(f.root().getSubjectX500Principal().getName()));
    }

    @Test
    void reopeningRefusesALedgerWhoseSignedCertificateFileIsMissing(@TempDir Path dir) throws Exception {
        FileLedger ledger = FileLedger.open(dir.resolve("ledger"));
        CaFixture f = CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org").clock(CLOCK).ledger(ledger).build();
        IssuedCertificate signed = f.svid(CaFixture.keyPair(KeyAlgorithm.P256), "spiffe://example.org/signed");
        java.nio.file.Files.delete(dir.resolve("ledger").resolve("certs").resolve(signed.serial().hex() + ".pem"));

        java.io.IOException e = assertThrows(java.io.IOException.class, () -> FileLedger.open(dir.resolve("ledger")));

        assertThat(e).hasMessageContaining(signed.serial().hex()).hasMessageContaining("missing");
    }
}
