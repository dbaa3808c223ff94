package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequesterRecordingTest {

    private static final Requester API = new Requester("token:t-123", "admin-api");

    @Test
    void ledgerRecordsWhoAskedForEachCertificate() throws Exception {
        CaFixture f = CaFixture.spiffe(Clock.systemUTC());
        KeyPair key = CaFixture.keyPair(KeyAlgorithm.P256);
        IssuedCertificate viaApi = f.ca.issue(new IssuanceRequest(Profile.SVID, key.getPublic(), Optional.empty(),
                SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://example.org/api")), Optional.empty()), API);
        IssuedCertificate local = f.svid(key, "spiffe://example.org/local");

        assertThat(f.ledger.find(viaApi.serial()).orElseThrow().pending().requester()).isEqualTo(API);
        assertThat(f.ledger.find(local.serial()).orElseThrow().pending().requester()).isEqualTo(Requester.LOCAL);
        assertThat(f.ledger.find(new io.certwright.core.SerialNumber(f.root().getSerialNumber())).orElseThrow()
                .pending().requester()).isEqualTo(Requester.SYSTEM);
    }

    @Test
    void signRecordsTheRequesterOfACsr() throws Exception {
        CaFixture f = CaFixture.spiffe(Clock.systemUTC());
        KeyPair key = CaFixture.keyPair(KeyAlgorithm.P256);
        byte[] csr = CaFixture.csr(KeyAlgorithm.P256, key, CaFixture.uris("spiffe://example.org/csr"));

        IssuedCertificate issued = f.ca.sign(csr, Profile.SVID, Optional.empty(), API);

        assertThat(f.ledger.find(issued.serial()).orElseThrow().pending().requester()).isEqualTo(API);
    }

    @Test
    void fileLedgerKeepsTheRequesterAcrossReopening(@TempDir Path dir) throws Exception {
        FileLedger ledger = FileLedger.open(dir);
        CaFixture f = CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org").ledger(ledger).build();
        IssuedCertificate issued = f.ca.issue(new IssuanceRequest(Profile.SVID,
                CaFixture.keyPair(KeyAlgorithm.P256).getPublic(), Optional.empty(),
                SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://example.org/api")), Optional.empty()), API);

        assertThat(FileLedger.open(dir).find(issued.serial()).orElseThrow().pending().requester()).isEqualTo(API);
    }
}
