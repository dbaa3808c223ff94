package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.Refusal;
import io.certwright.core.KeyAlgorithm;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/// A request that passes policy but would produce a certificate breaking a lint rule is refused with
/// [PolicyRule#LINT], before anything is recorded or signed.
///
/// The reachable case: a name policy that admits SPIFFE IDs of a trust domain other than the issuer's
/// (possible only when the intermediate carries no URI name constraint). Lint rule
/// `spiffe.x509-svid.trust-domain` catches it.
class LintRefusalTest {

    private static CaFixture caAdmittingAForeignTrustDomain() throws Exception {
        return CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org", false)
                .settings(s -> s.withSanPolicy(new SanPolicy(s.sanPolicy().dns(),
                        s.sanPolicy().ips(), List.of(SpiffeIdPattern.parse("spiffe://example.org/**"),
                                SpiffeIdPattern.parse("spiffe://other.org/**")),
                        s.sanPolicy().uris(), s.sanPolicy().emails())))
                .build();
    }

    @Test
    void issueRefusesWithLintAndRecordsNothingWhenTheCertificateWouldBreakALintRule() throws Exception {
        CaFixture f = caAdmittingAForeignTrustDomain();
        int recorded = f.ledger.entries().size();
        KeyPair key = CaFixture.keyPair(KeyAlgorithm.P256);

        PolicyException e = assertThrows(PolicyException.class, () -> f.svid(key, "spiffe://other.org/api"));

        assertThat(e.refusals()).extracting(Refusal::rule).containsOnly(PolicyRule.LINT);
        assertThat(e.refusals()).extracting(Refusal::detail).anyMatch(d -> d.startsWith("spiffe.x509-svid.trust-domain"));
        assertThat(f.ledger.entries()).hasSize(recorded);
        assertThat(f.signer.calls()).isZero();
    }

    @Test
    void signOfACsrRefusesWithLintAndRecordsNothing() throws Exception {
        CaFixture f = caAdmittingAForeignTrustDomain();
        int recorded = f.ledger.entries().size();
        byte[] csr = CaFixture.csr(KeyAlgorithm.P256, CaFixture.keyPair(KeyAlgorithm.P256),
                CaFixture.uris("spiffe://other.org/api"));

        PolicyException e = assertThrows(PolicyException.class, () -> f.ca.sign(csr, Profile.SVID, Optional.empty()));

        assertThat(e.rule()).isEqualTo(PolicyRule.LINT);
        assertThat(f.ledger.entries()).hasSize(recorded);
        assertThat(f.signer.calls()).isZero();
    }

    @Test
    void sameCaIssuesForItsOwnTrustDomain() throws Exception {
        CaFixture f = caAdmittingAForeignTrustDomain();

        IssuedCertificate ok = f.svid(CaFixture.keyPair(KeyAlgorithm.P256), "spiffe://example.org/api");

        assertThat(ok.certificate().getSubjectAlternativeNames()).hasSize(1);
        assertThat(f.signer.calls()).isEqualTo(1);
    }
}
