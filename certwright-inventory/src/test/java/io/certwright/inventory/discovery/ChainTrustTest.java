package io.certwright.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

    @Test
    void aLeafOutsideItsIssuersNameConstraintsIsUntrustedOnAKnownPath() {
        TestPki.Issued constrained = TestPki.issue(root, TestPki.Spec.ca("Constrained Intermediate")
                .permitting("inside.test"));
        ChainTrust trust = ChainTrust.of(List.of(root.leaf()));
        Instant now = Instant.now();
        List<X509Certificate> inside = TestPki.issue(constrained, TestPki.Spec.leaf("a.inside.test", "a.inside.test"))
                .withoutLast().chain();
        List<X509Certificate> outside = TestPki.issue(constrained, TestPki.Spec.leaf("b.outside.test",
                "b.outside.test")).withoutLast().chain();
        assertThat(trust.check(inside, now).trusted()).isTrue();
        assertThat(trust.check(outside, now).verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
        assertThat(trust.check(inside, now).trusted()).isTrue();
    }

    @Test
    void aLeafOutsideAnUpperIssuersNameConstraintsIsUntrustedOnAKnownPath() {
        TestPki.Issued upper = TestPki.issue(root, TestPki.Spec.ca("Constrained Upper").permitting("inside.test"));
        TestPki.Issued lower = TestPki.issue(upper, TestPki.Spec.ca("Unconstrained Lower"));
        ChainTrust trust = ChainTrust.of(List.of(root.leaf()));
        Instant now = Instant.now();
        List<X509Certificate> inside = TestPki.issue(lower, TestPki.Spec.leaf("a.inside.test", "a.inside.test"))
                .withoutLast().chain();
        List<X509Certificate> outside = TestPki.issue(lower, TestPki.Spec.leaf("b.outside.test", "b.outside.test"))
                .withoutLast().chain();
        assertThat(trust.check(inside, now).trusted()).isTrue();
        assertThat(trust.check(outside, now).verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
    }

    @Test
    void aKnownPathWhoseIntermediateHasSinceExpiredNoLongerTrustsItsLeaves() {
        Instant now = Instant.now();
        TestPki.Issued shortLived = TestPki.issue(root, TestPki.Spec.ca("Short-Lived Intermediate")
                .valid(now.minus(Duration.ofDays(1)), now.plus(Duration.ofMinutes(5))));
        ChainTrust trust = ChainTrust.of(List.of(root.leaf()));
        List<X509Certificate> first = TestPki.issue(shortLived, TestPki.Spec.leaf("one.test", "one.test"))
                .withoutLast().chain();
        List<X509Certificate> second = TestPki.issue(shortLived, TestPki.Spec.leaf("two.test", "two.test"))
                .withoutLast().chain();
        assertThat(trust.check(first, now).trusted()).isTrue();
        TrustCheck later = trust.check(second, now.plus(Duration.ofMinutes(6)));
        assertThat(later.verdict()).isEqualTo(TrustCheck.Verdict.UNTRUSTED);
        assertThat(later.detail()).contains("Short-Lived Intermediate", "expired");
    }

    @Test
    void leavesAreValidatedAgainstTheirIssuerAloneOnlyWherePolicyAndUpperNameConstraintsAllow() {
        TrustAnchor rootAnchor = new TrustAnchor(root.leaf(), null);
        TestPki.Issued constrained = TestPki.issue(root, TestPki.Spec.ca("Own Constraints").permitting("inside.test"));
        TestPki.Issued policy = TestPki.issue(root, TestPki.Spec.ca("Policy Constrained").requiringExplicitPolicy());
        TestPki.Issued lower = TestPki.issue(constrained, TestPki.Spec.ca("Below Constraints"));

        assertThat(ChainTrust.issuerAnchor(List.of(intermediate.leaf()), rootAnchor)).isNotNull();
        TrustAnchor own = Objects.requireNonNull(ChainTrust.issuerAnchor(List.of(constrained.leaf()), rootAnchor));
        assertThat(own.getNameConstraints()).isNotNull();
        assertThat(ChainTrust.issuerAnchor(List.of(policy.leaf()), rootAnchor)).isNull();
        assertThat(ChainTrust.issuerAnchor(List.of(lower.leaf(), constrained.leaf()), rootAnchor)).isNull();
        assertThat(ChainTrust.issuerAnchor(List.of(), rootAnchor)).isNull();
    }

    @Test
    void octetStringContentsReadsShortAndLongDerLengths() {
        assertThat(ChainTrust.octetStringContents(new byte[] {0x04, 0x02, 0x30, 0x00})).containsExactly(0x30, 0x00);
        byte[] longForm = new byte[3 + 200];
        longForm[0] = 0x04;
        longForm[1] = (byte) 0x81;
        longForm[2] = (byte) 200;
        longForm[3] = 0x30;
        assertThat(ChainTrust.octetStringContents(longForm)).hasSize(200).startsWith(0x30);
        assertThatThrownBy(() -> ChainTrust.octetStringContents(new byte[] {0x30, 0x00}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainTrust.octetStringContents(new byte[] {0x04, 0x05, 0x00}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
