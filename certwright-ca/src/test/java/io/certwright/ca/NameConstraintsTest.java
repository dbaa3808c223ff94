package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.profile.CertificateTemplate;
import io.certwright.ca.profile.NameConstraints;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.Refusal;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// A CA created with permitted DNS subtrees refuses names outside them by policy, rather than issuing
/// certificates that path validation would reject.
class NameConstraintsTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static CaFixture f;
    private static KeyPair key;

    @BeforeAll
    static void create() throws Exception {
        f = CaFixture.with(KeyAlgorithm.P256).permittedDns("example.com").clock(CLOCK).build();
        key = CaFixture.keyPair(KeyAlgorithm.P256);
    }

    @Test
    void intermediateCarriesTheCriticalDnsConstraint() throws Exception {
        Extension ext = CaFixture.extension(f.intermediate(), Extension.nameConstraints);

        assertThat(ext.isCritical()).isTrue();
        assertThat(org.bouncycastle.asn1.x509.NameConstraints.getInstance(ext.getParsedValue()).getPermittedSubtrees())
                .extracting(GeneralSubtree::getBase)
                .containsExactly(new GeneralName(GeneralName.dNSName, "example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.other.com", "notexample.com", "example.com.evil.org", "com"})
    void nameOutsideThePermittedSubtreeIsRefusedWithSanDns(String name) {
        int recorded = f.ledger.entries().size();

        PolicyException e = assertThrows(PolicyException.class,
                () -> f.issue(Profile.SERVER, key, CaFixture.dns(name), Optional.empty()));

        assertThat(e.refusals()).extracting(Refusal::rule).containsExactly(PolicyRule.SAN_DNS);
        assertThat(e.getMessage()).contains(name);
        assertThat(f.ledger.entries()).hasSize(recorded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.example.com", "example.com", "a.b.c.example.com", "API.Example.COM"})
    void nameInsideThePermittedSubtreeIsIssuedAndValidatesWithJdkPkix(String name) throws Exception {
        IssuedCertificate issued = f.issue(Profile.SERVER, key, CaFixture.dns(name), Optional.empty());

        assertThat(issued.certificate().getSubjectAlternativeNames())
                .containsExactly(List.of(GeneralName.dNSName, name.toLowerCase(java.util.Locale.ROOT)));
        assertThat(f.validate(issued.fullChain(), CLOCK)).isNotNull();
    }

    @Test
    void jdkPkixRejectsACertificateOutsideTheConstraintThatBypassedPolicy() throws Exception {
        // Sign a leaf for api.other.com with the constrained intermediate, going around the policy check, to
        // show that the constraint is live for relying parties and not only in Certwright's own policy.
        Instant now = CLOCK.instant().truncatedTo(ChronoUnit.SECONDS);
        CertificateTemplate t = new CertificateTemplate(SerialNumber.random(new SecureRandom()), f.ca.issuer().info(),
                new X500Principal(""), key.getPublic(), KeyAlgorithm.Family.EC,
                new Validity(now.minusSeconds(60), now.plus(Duration.ofHours(1))), Profile.SERVER,
                CaFixture.dns("api.other.com"), Optional.empty(), NameConstraints.none(), RevocationUrls.none());
        X509Certificate outside = CertificateAuthority.signTemplate(t, f.signer, null, CLOCK, Requester.LOCAL);

        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> f.validate(List.of(outside, f.intermediate()), CLOCK));

        assertThat(e).hasMessageContaining("name constraints");
    }
}
