package io.certwright.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.store.Identifier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// The CAA check (RFC 8659) against a test DNS server; the engine's tests cover the rules through
/// finalization, these the DNS side and the wording of failures.
class DnsCaaCheckerTest {

    private static final List<String> US = List.of("certwright.test");

    static TestDnsServer dns;

    @BeforeAll
    static void startDns() throws Exception {
        dns = TestDnsServer.start();
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @BeforeEach
    void clear() {
        dns.clear();
    }

    private static CaaOutcome check(String name) {
        return new DnsCaaChecker(ValidationSettings.defaults().withDnsServer(dns.hostPort())
                .withTimeout(Duration.ofSeconds(1))).check(Identifier.dns(name), US).orTimeout(30, TimeUnit.SECONDS)
                .join();
    }

    @Test
    void theCaaRecordsOfACnameTargetAnswerForTheAliasButTheTargetsParentsDoNot() {
        dns.cname("alias.test", "target.other").caa("target.other", 0, "issue", "letsencrypt.org");
        dns.cname("alias2.test", "target2.other").a("target2.other", "192.0.2.1");
        dns.caa("other", 0, "issue", "letsencrypt.org");

        assertThat(check("alias.test")).isInstanceOfSatisfying(CaaOutcome.Forbidden.class,
                f -> assertThat(f.detail()).contains("\"letsencrypt.org\"", "alias.test", dns.hostPort()));
        assertThat(check("alias2.test")).isEqualTo(new CaaOutcome.Permitted());
        assertThat(dns.questions()).doesNotContain("other CAA");
    }

    @Test
    void aServerThatDoesNotAnswerIsALookupFailureNamingTheServerAndTheQuestion() {
        dns.fail("silent.test", TestDnsServer.Failure.DROP);

        assertThat(check("silent.test")).isInstanceOfSatisfying(CaaOutcome.LookupFailed.class,
                f -> assertThat(f.detail()).contains("silent.test", dns.hostPort(), "CAA"));
    }

    @Test
    void aFailingParentIsALookupFailureEvenWhenTheNameItselfHasNoRecords() {
        dns.a("www.flaky.test", "192.0.2.1").fail("flaky.test", TestDnsServer.Failure.SERVFAIL);

        assertThat(check("www.flaky.test")).isInstanceOfSatisfying(CaaOutcome.LookupFailed.class,
                f -> assertThat(f.detail()).isEqualTo("cannot check the CAA records of www.flaky.test: DNS server "
                        + dns.hostPort() + " answered SERVFAIL for CAA flaky.test"));
    }

    @Test
    void ipAddressesArePermittedWithoutAQuestion() {
        CaaOutcome outcome = new DnsCaaChecker(ValidationSettings.defaults().withDnsServer(dns.hostPort()))
                .check(Identifier.ip("192.0.2.1"), US).join();

        assertThat(outcome).isEqualTo(new CaaOutcome.Permitted());
        assertThat(dns.questions()).isEmpty();
    }

    @Test
    void theIssuerDomainIsTheValueBeforeItsParametersWithoutATrailingDot() {
        assertThat(DnsCaaChecker.issuerDomain("ca.example")).isEqualTo("ca.example");
        assertThat(DnsCaaChecker.issuerDomain(" ca.example. ; account=https://ca.example/acct/1"))
                .isEqualTo("ca.example");
        assertThat(DnsCaaChecker.issuerDomain(";")).isEmpty();
        assertThat(DnsCaaChecker.issuerDomain("")).isEmpty();
    }
}
