package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.Refusal;
import io.certwright.core.KeyAlgorithm;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/// Validity of issued certificates on a clock the test controls: default lifetime, backdating, and what
/// happens as the intermediate nears its own expiry.
class LifetimeTest {

    /// When the CAs were created; a fraction of a second, which certificates drop.
    private static final Instant CREATED = Instant.parse("2030-01-01T00:00:00.750Z");
    private static final Instant CREATED_SECONDS = Instant.parse("2030-01-01T00:00:00Z");
    private static final String ID = "spiffe://example.org/ns/pay/sa/api";

    private static final SettableClock CLOCK = new SettableClock(CREATED);
    private static CaFixture refusing;
    private static CaFixture capping;
    private static KeyPair key;

    /// A clock tests set; a test-local stand-in for certwright-testing's MutableClock.
    static final class SettableClock extends Clock {
        private final AtomicReference<Instant> now;

        SettableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void set(Instant t) {
            now.set(t);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeAll
    static void createCas() throws Exception {
        CLOCK.set(CREATED);
        refusing = CaFixture.spiffe(CLOCK);
        capping = CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org").clock(CLOCK)
                .settings(s -> s.withIssuerExpiry(IssuerExpiryPolicy.CAP)).build();
        key = CaFixture.keyPair(KeyAlgorithm.P256);
    }

    private static Instant intermediateNotAfter(CaFixture f) {
        return f.intermediate().getNotAfter().toInstant();
    }

    private static Instant notBefore(X509Certificate c) {
        return c.getNotBefore().toInstant();
    }

    private static Instant notAfter(X509Certificate c) {
        return c.getNotAfter().toInstant();
    }

    private static X509Certificate svid(CaFixture f, Optional<Duration> lifetime) throws Exception {
        return f.issue(Profile.SVID, key, CaFixture.uris(ID), lifetime).certificate();
    }

    @Test
    void intermediateOfTheFixtureLastsOneYearFromCreation() {
        assertThat(intermediateNotAfter(refusing)).isEqualTo(CREATED_SECONDS.plus(Duration.ofDays(365)));
    }

    @Test
    void defaultLifetimeIs24HoursFromTheWholeSecondOfIssuance() throws Exception {
        Instant now = CREATED_SECONDS.plus(Duration.ofDays(10)).plusMillis(999);
        CLOCK.set(now);

        X509Certificate c = svid(refusing, Optional.empty());

        assertThat(notAfter(c)).isEqualTo(CREATED_SECONDS.plus(Duration.ofDays(10)).plus(Duration.ofHours(24)));
    }

    @Test
    void notBeforeIsBackdatedExactlyOneMinute() throws Exception {
        Instant now = CREATED.plus(Duration.ofDays(3));
        CLOCK.set(now);

        X509Certificate c = svid(refusing, Optional.of(Duration.ofHours(2)));

        assertThat(notBefore(c)).isEqualTo(CREATED_SECONDS.plus(Duration.ofDays(3)).minus(Duration.ofMinutes(1)));
        assertThat(Duration.between(notBefore(c), notAfter(c))).isEqualTo(Duration.ofHours(2).plusMinutes(1));
    }

    @Test
    void notBeforeIsNeverBeforeTheIssuersNotBefore() throws Exception {
        CLOCK.set(CREATED);
        CaFixture wideBackdate = CaFixture.with(KeyAlgorithm.P256).trustDomain("example.org").clock(CLOCK)
                .settings(s -> new CaSettings(s.lifetimes(), s.issuerExpiry(), Duration.ofMinutes(30), s.sanPolicy(),
                        s.keyPolicy(), s.revocationUrls()))
                .build();
        CLOCK.set(CREATED.plus(Duration.ofMinutes(5)));

        X509Certificate c = svid(wideBackdate, Optional.empty());

        assertThat(notBefore(c)).isEqualTo(wideBackdate.intermediate().getNotBefore().toInstant());
        wideBackdate.validate(java.util.List.of(c, wideBackdate.intermediate()), CLOCK);
    }

    @Test
    void refusePolicyRefusesACertificateOutlivingTheIntermediate() throws Exception {
        CLOCK.set(intermediateNotAfter(refusing).minus(Duration.ofHours(1)));
        int recorded = refusing.ledger.entries().size();

        PolicyException e = assertThrows(PolicyException.class, () -> svid(refusing, Optional.empty()));

        assertThat(e.refusals()).extracting(Refusal::rule).containsExactly(PolicyRule.ISSUER_EXPIRY);
        assertThat(refusing.ledger.entries()).hasSize(recorded);
    }

    @Test
    void refusePolicyIssuesACertificateEndingExactlyWithTheIntermediate() throws Exception {
        CLOCK.set(intermediateNotAfter(refusing).minus(Duration.ofHours(24)));

        IssuedCertificate issued = refusing.issue(Profile.SVID, key, CaFixture.uris(ID), Optional.empty());

        assertThat(notAfter(issued.certificate())).isEqualTo(intermediateNotAfter(refusing));
        assertThat(issued.notes()).isEmpty();
    }

    @Test
    void capPolicyShortensTheCertificateToTheIntermediateAndSaysSo() throws Exception {
        CLOCK.set(intermediateNotAfter(capping).minus(Duration.ofHours(1)));

        IssuedCertificate issued = capping.issue(Profile.SVID, key, CaFixture.uris(ID), Optional.empty());

        assertThat(notAfter(issued.certificate())).isEqualTo(intermediateNotAfter(capping));
        assertThat(issued.notes()).singleElement().asString().contains("capped")
                .contains(intermediateNotAfter(capping).toString());
        capping.validate(issued.fullChain(), CLOCK);
    }

    @Test
    void capPolicyLeavesCertificatesWithinTheIntermediateUnchangedAndUnnoted() throws Exception {
        CLOCK.set(CREATED.plus(Duration.ofDays(100)));

        IssuedCertificate issued = capping.issue(Profile.SVID, key, CaFixture.uris(ID), Optional.empty());

        assertThat(Duration.between(notBefore(issued.certificate()), notAfter(issued.certificate())))
                .isEqualTo(Duration.ofHours(24).plusMinutes(1));
        assertThat(issued.notes()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ok capped one hour before expiry, PT1H, CAP, true",
            "ok capped exactly the 5 minute minimum before expiry, PT5M, CAP, true",
            "fail capping one second before expiry would go below the 5 minute minimum, PT1S, CAP, false",
            "ok capped 29 days before expiry at maximum lifetime, PT696H, CAP, true",
            "fail refused one hour before expiry, PT1H, REFUSE, false",
            "fail refused 29 days before expiry at maximum lifetime, PT696H, REFUSE, false"
    })
    void noCertificateEverOutlivesItsIssuer(String name, Duration beforeExpiry, IssuerExpiryPolicy policy,
            boolean issued) throws Exception {
        CaFixture f = policy == IssuerExpiryPolicy.CAP ? capping : refusing;
        CLOCK.set(intermediateNotAfter(f).minus(beforeExpiry));
        Optional<Duration> thirtyDays = Optional.of(Duration.ofDays(30));

        if (issued) {
            X509Certificate c = svid(f, thirtyDays);
            assertThat(notAfter(c)).isEqualTo(intermediateNotAfter(f));
        } else {
            PolicyException e = assertThrows(PolicyException.class, () -> svid(f, thirtyDays));
            assertThat(e.rule()).isEqualTo(PolicyRule.ISSUER_EXPIRY);
        }
        assertThat(f.ledger.entries()).allSatisfy(entry ->
                assertThat(entry.pending().validity().notAfter()).isBeforeOrEqualTo(f.root().getNotAfter().toInstant()));
        assertThat(f.ledger.entries()).filteredOn(entry -> entry.pending().profile() == Profile.SVID)
                .allSatisfy(entry -> assertThat(entry.pending().validity().notAfter())
                        .isBeforeOrEqualTo(intermediateNotAfter(f)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"REFUSE", "CAP"})
    void expiredIntermediateIssuesNothing(IssuerExpiryPolicy policy) throws Exception {
        CaFixture f = policy == IssuerExpiryPolicy.CAP ? capping : refusing;
        CLOCK.set(intermediateNotAfter(f).plusSeconds(1));

        PolicyException e = assertThrows(PolicyException.class, () -> svid(f, Optional.empty()));

        assertThat(e.refusals()).extracting(Refusal::rule).contains(PolicyRule.ISSUER_EXPIRY);
    }
}
