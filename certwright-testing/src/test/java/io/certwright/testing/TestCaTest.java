package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.IssuerExpiryPolicy;
import io.certwright.ca.LedgerEntry;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.TrustDomain;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestCaTest {

    @Test
    void createdCaRecordsRootAndIntermediateAndIssuesValidatingSvids() throws Exception {
        MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");
        TestCa ca = TestCa.create(KeyAlgorithm.P256, Optional.of(new TrustDomain("example.org")), clock);

        IssuedCertificate svid = ca.issueSvid("spiffe://example.org/api", Duration.ofHours(1));

        assertThat(ca.validate(svid).getTrustAnchor().getTrustedCert()).isEqualTo(ca.root());
        assertThat(svid.chain()).containsExactly(ca.intermediate());
        assertThat(ca.ledger().entries()).hasSize(3).allMatch(LedgerEntry::signed);
        assertThat(ca.intermediate().getIssuerX500Principal()).isEqualTo(ca.root().getSubjectX500Principal());
    }

    @Test
    void validationFollowsTheClock() throws Exception {
        MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");
        TestCa ca = TestCa.builder(KeyAlgorithm.ED25519).trustDomain("example.org").clock(clock).build();
        IssuedCertificate svid = ca.issueSvid("spiffe://example.org/api", Duration.ofHours(1));

        clock.advance(Duration.ofHours(2));

        assertThrows(CertPathValidatorException.class, () -> ca.validate(svid));
    }

    @Test
    void csrHelperProducesRequestsTheCaSigns() throws Exception {
        TestCa ca = TestCa.builder(KeyAlgorithm.P256).permittedDns("example.com").build();
        byte[] csr = TestCa.csr(KeyAlgorithm.RSA2048, TestCa.keyPair(KeyAlgorithm.RSA2048),
                new SubjectNames(List.of("api.example.com"), List.of(), List.of(), List.of()), Optional.empty());

        IssuedCertificate issued = ca.authority().sign(csr, Profile.SERVER, Optional.empty());

        ca.validate(issued);
        assertThat(issued.certificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void settingsAndSignerCanBeAdjusted() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        TestCa ca = TestCa.builder(KeyAlgorithm.P256)
                .settings(s -> s.withIssuerExpiry(IssuerExpiryPolicy.CAP))
                .signer(k -> new InterceptedSigningKey(k, data -> {
                    calls.incrementAndGet();
                    return k.sign(data);
                }))
                .build();

        ca.issueServer(Duration.ofHours(1), "api.example.com");

        assertThat(calls.get()).isEqualTo(1);
        assertThat(ca.authority().settings().issuerExpiry()).isEqualTo(IssuerExpiryPolicy.CAP);
    }

}
