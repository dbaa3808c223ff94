package io.certwright.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// Trust checks of many chains that share their intermediates, as a scan of one organisation's endpoints
/// sees them: the path found for the first is reused for the others only where it really holds for them.
class ChainTrustTest {

    static TestPki.Issued root;
    static TestPki.Issued intermediate;

    @BeforeAll
    static void pki() {
        root = TestPki.selfSigned(TestPki.Spec.ca("Trust Test Root"));
        intermediate = TestPki.issue(root, TestPki.Spec.ca("Trust Test Intermediate"));
    }

    private static TestPki.Issued leaf(String name) {
        return TestPki.issue(intermediate, TestPki.Spec.leaf(name, name)).withoutLast();
    }

    @Test
    void chainsSharingAnIntermediateAreEachTrusted() {
        ChainTrust trust = ChainTrust.of(List.of(root.leaf()));
        Instant now = Instant.now();
        for (int i = 0; i < 5; i++) {
            TrustCheck t = trust.check(leaf("host-" + i + ".test").chain(), now);
            assertThat(t.verdict()).as("chain %d", i).isEqualTo(TrustCheck.Verdict.TRUSTED);
            assertThat(t.detail()).contains("Trust Test Root");
        }
    }

    @Test
    void anExpiredLeafUnderAKnownIntermediateIsUntrustedAndSaysSo() {
        ChainTrust trust = ChainTrust.of(List.of(root.leaf()));
        Instant now = Instant.now();
        assertThat(trust.check(leaf("good.test").chain(), now).trusted()).isTrue();
        TestPki.Issued expired = TestPki.issue(intermediate, TestPki.Spec.leaf("old.test", "old.test")
                .valid(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)))).withoutLast();
        TrustCheck t = trust.check(expired.chain(), now);
        assertThat(t.verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
        assertThat(t.detail()).startsWith("the leaf expired at");
    }

    @Test
    void aKnownPathIsJudgedAtEachCheckOwnInstant() {
        ChainTrust trust = ChainTrust.of(List.of(root.leaf()));
        List<X509Certificate> chain = leaf("later.test").chain();
        Instant now = Instant.now();
        assertThat(trust.check(chain, now).trusted()).isTrue();
        TrustCheck later = trust.check(chain, now.plus(Duration.ofDays(200)));
        assertThat(later.verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
        assertThat(later.detail()).startsWith("the leaf expired at");
    }

    @Test
    void aLeafNamingAKnownIntermediateButSignedByAnotherKeyIsUntrusted() {
        ChainTrust trust = ChainTrust.of(List.of(root.leaf()));
        Instant now = Instant.now();
        assertThat(trust.check(leaf("good.test").chain(), now).trusted()).isTrue();
        TestPki.Issued impostor = TestPki.selfSigned(TestPki.Spec.ca("Trust Test Intermediate"));
        TestPki.Issued forged = TestPki.issue(impostor, TestPki.Spec.leaf("forged.test", "forged.test"));
        List<X509Certificate> presented = List.of(forged.leaf(), intermediate.leaf());
        assertThat(presented.getFirst().getIssuerX500Principal())
                .isEqualTo(intermediate.leaf().getSubjectX500Principal());
        assertThat(trust.check(presented, now).verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
    }

    @Test
    void aKnownIntermediateThatIsNotPresentedDoesNotCompleteAChain() {
        ChainTrust trust = ChainTrust.of(List.of(root.leaf()));
        Instant now = Instant.now();
        assertThat(trust.check(leaf("good.test").chain(), now).trusted()).isTrue();
        TrustCheck t = trust.check(List.of(leaf("bare.test").leaf()), now);
        assertThat(t.verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
        assertThat(t.detail()).contains("incomplete chain", "Trust Test Intermediate");
    }

    @Test
    void concurrentChecksOfChainsSharingAnIntermediateAllAgree() throws Exception {
        ChainTrust trust = ChainTrust.of(List.of(root.leaf()));
        Instant now = Instant.now();
        List<List<X509Certificate>> chains = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chains.add(i % 4 == 3 ? List.of(leaf("bare-" + i + ".test").leaf()) : leaf("host-" + i + ".test").chain());
        }
        List<Future<TrustCheck>> checks = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (List<X509Certificate> c : chains) {
                checks.add(threads.submit(() -> trust.check(c, now)));
            }
        }
        for (int i = 0; i < chains.size(); i++) {
            assertThat(checks.get(i).get().trusted()).as("chain %d", i).isEqualTo(i % 4 != 3);
        }
    }
}
