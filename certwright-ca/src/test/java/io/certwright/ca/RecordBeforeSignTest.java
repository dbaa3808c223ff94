package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.profile.Profile;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.junit.jupiter.api.Test;

/// Nothing is signed that the ledger has not recorded first (the Boulder rule).
class RecordBeforeSignTest {

    private static final Instant NOW = Instant.parse("2030-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ID = "spiffe://example.org/ns/pay/sa/api";

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void failingSigningKeyLeavesThePendingRecordAndNoCertificate() throws Exception {
        CaFixture f = CaFixture.spiffe(CLOCK);
        List<LedgerEntry> before = f.ledger.entries();
        f.signer.fail.set(true);
        KeyPair key = CaFixture.keyPair(KeyAlgorithm.P256);

        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> f.svid(key, ID));

        assertThat(e).hasMessage("signing device unavailable");
        assertThat(f.signer.calls()).isEqualTo(1);
        List<LedgerEntry> after = f.ledger.entries();
        assertThat(after).hasSize(before.size() + 1).startsWith(before.toArray(LedgerEntry[]::new));
        LedgerEntry pending = after.getLast();
        assertThat(pending.signed()).isFalse();
        assertThat(pending.certificatePem()).isEmpty();
        assertThat(pending.pending().profile()).isEqualTo(Profile.SVID);
        assertThat(pending.pending().names()).containsExactly(ID);
        assertThat(pending.pending().validity())
                .isEqualTo(new Validity(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofHours(24))));
        assertThat(pending.pending().recordedAt()).isEqualTo(NOW);
        // The record binds the exact bytes handed to the signing key.
        byte[] tbsDer = f.signer.lastData();
        assertThat(pending.pending().tbsSha256()).isEqualTo(sha256(tbsDer));
        TBSCertificate tbs = TBSCertificate.getInstance(tbsDer);
        assertThat(pending.pending().serial()).isEqualTo(new SerialNumber(tbs.getSerialNumber().getValue()));
        assertThat(f.ledger.find(pending.pending().serial())).contains(pending);
    }

    @Test
    void failingLedgerMeansTheSigningKeyIsNeverCalled() throws Exception {
        SwitchableLedger ledger = new SwitchableLedger();
        CaFixture f = CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org").clock(CLOCK).ledger(ledger).build();
        int recorded = ledger.entries().size();
        ledger.failPending.set(true);
        KeyPair key = CaFixture.keyPair(KeyAlgorithm.P256);

        LedgerException e = assertThrows(LedgerException.class, () -> f.svid(key, ID));

        assertThat(e).hasMessage("ledger storage unavailable");
        assertThat(f.signer.calls()).isZero();
        assertThat(ledger.entries()).hasSize(recorded);
    }

    @Test
    void issuedCertificateIsRecordedPendingWithTheHashOfItsTbsAndThenSigned() throws Exception {
        CaFixture f = CaFixture.spiffe(CLOCK);

        IssuedCertificate issued = f.svid(CaFixture.keyPair(KeyAlgorithm.P256), ID);

        X509Certificate cert = issued.certificate();
        LedgerEntry entry = f.ledger.find(issued.serial()).orElseThrow();
        assertThat(entry.signed()).isTrue();
        assertThat(entry.pending().tbsSha256()).isEqualTo(sha256(cert.getTBSCertificate()));
        assertThat(entry.certificatePem()).contains(Pem.certificate(cert));
        assertThat(f.signer.lastData()).isEqualTo(cert.getTBSCertificate());
    }

    @Test
    void signingKeyWorksAgainOnceItRecoversAndTheFailedSerialStaysPending() throws Exception {
        CaFixture f = CaFixture.spiffe(CLOCK);
        KeyPair key = CaFixture.keyPair(KeyAlgorithm.P256);
        f.signer.fail.set(true);
        assertThrows(GeneralSecurityException.class, () -> f.svid(key, ID));
        SerialNumber failed = f.ledger.entries().getLast().pending().serial();
        f.signer.fail.set(false);

        IssuedCertificate issued = f.svid(key, ID);

        assertThat(issued.serial()).isNotEqualTo(failed);
        assertThat(f.ledger.find(failed)).hasValueSatisfying(e -> assertThat(e.signed()).isFalse());
        assertThat(f.ledger.find(issued.serial())).hasValueSatisfying(e -> assertThat(e.signed()).isTrue());
    }
}
