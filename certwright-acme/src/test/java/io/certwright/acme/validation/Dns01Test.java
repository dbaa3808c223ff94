package io.certwright.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.Identifier;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// dns-01 against a real DNS server on loopback, over UDP and, for large answers, TCP.
class Dns01Test {

    static final String TOKEN = "DGyRejmCefe7v4NfDGDKfA";
    static final String KEY_AUTHORIZATION = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
    static final String DIGEST = Dns01Validator.digest(KEY_AUTHORIZATION);

    static TestDnsServer dns;

    @BeforeAll
    static void startDns() throws IOException {
        dns = TestDnsServer.start();
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @BeforeEach
    void forget() {
        dns.clear();
    }

    private static ValidationOutcome validate(Identifier identifier, Duration timeout) {
        ValidationSettings settings = ValidationSettings.defaults().withDnsServer(dns.hostPort()).withTimeout(timeout);
        return new Validators(settings).validate(identifier, Validators.DNS_01, TOKEN, KEY_AUTHORIZATION)
                .orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static ValidationOutcome validate(Identifier identifier) {
        return validate(identifier, Duration.ofSeconds(5));
    }

    private static ValidationOutcome.Invalid invalid(ValidationOutcome outcome, AcmeProblemType type) {
        assertThat(outcome).isInstanceOf(ValidationOutcome.Invalid.class);
        ValidationOutcome.Invalid invalid = (ValidationOutcome.Invalid) outcome;
        assertThat(invalid.type()).as(invalid.detail()).isEqualTo(type);
        return invalid;
    }

    @Test
    void dns01DigestIsTheUnpaddedBase64urlSha256OfTheKeyAuthorization() {
        // SHA-256("a") is ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb.
        assertThat(Dns01Validator.digest("a")).isEqualTo("ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs");
    }

    @Test
    void dns01AcceptsOneMatchingRecordAmongSeveral() {
        dns.txt("_acme-challenge.app.test", "stale-value", DIGEST, "another-value");

        assertThat(validate(Identifier.dns("app.test"))).isEqualTo(new ValidationOutcome.Valid());
        assertThat(dns.questions()).containsExactly("_acme-challenge.app.test TXT");
    }

    @Test
    void dns01JoinsTheStringsOfOneRecord() {
        dns.txtRecord("_acme-challenge.app.test", DIGEST.substring(0, 20), DIGEST.substring(20));

        assertThat(validate(Identifier.dns("app.test"))).isEqualTo(new ValidationOutcome.Valid());
    }

    @Test
    void dns01ChecksTheBaseNameOfAWildcard() {
        dns.txt("_acme-challenge.app.test", DIGEST);

        assertThat(validate(Identifier.dns("*.app.test"))).isEqualTo(new ValidationOutcome.Valid());
    }

    @Test
    void dns01FollowsCnames() {
        dns.cname("_acme-challenge.app.test", "app.acme-delegation.test")
                .txt("app.acme-delegation.test", DIGEST);

        assertThat(validate(Identifier.dns("app.test"))).isEqualTo(new ValidationOutcome.Valid());
    }

    @Test
    void dns01FindsTheRecordInAnAnswerTooLargeForUdp() {
        for (int i = 0; i < 40; i++) {
            dns.txt("_acme-challenge.app.test", "padding-record-number-" + i + "-".repeat(40));
        }
        dns.txt("_acme-challenge.app.test", DIGEST);

        assertThat(validate(Identifier.dns("app.test"))).isEqualTo(new ValidationOutcome.Valid());
        assertThat(dns.tcpQuestions()).isEqualTo(1);
    }

    @Test
    void dns01RejectsAWrongDigestAndListsWhatItFound() {
        dns.txt("_acme-challenge.app.test", "not-the-digest");

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")),
                AcmeProblemType.INCORRECT_RESPONSE);
        assertThat(invalid.detail()).isEqualTo("DNS server " + dns.hostPort()
                + " has 1 TXT record(s) at _acme-challenge.app.test and none is \"" + DIGEST
                + "\"; found \"not-the-digest\"");
    }

    @Test
    void dns01RejectsANameWithoutTxtRecords() {
        dns.a("_acme-challenge.app.test", "127.0.0.1");

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")),
                AcmeProblemType.INCORRECT_RESPONSE);
        assertThat(invalid.detail()).contains("has no TXT record at _acme-challenge.app.test");
    }

    @Test
    void dns01ReportsNxdomainAsADnsProblem() {
        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")), AcmeProblemType.DNS);
        assertThat(invalid.detail()).isEqualTo("DNS server " + dns.hostPort()
                + " answered NXDOMAIN for TXT _acme-challenge.app.test");
    }

    @Test
    void dns01ReportsServfailAsADnsProblem() {
        dns.txt("_acme-challenge.app.test", DIGEST).fail("_acme-challenge.app.test", TestDnsServer.Failure.SERVFAIL);

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")), AcmeProblemType.DNS);
        assertThat(invalid.detail()).isEqualTo("DNS server " + dns.hostPort()
                + " answered SERVFAIL for TXT _acme-challenge.app.test");
    }

    @Test
    void dns01ReportsAServerThatDoesNotAnswerAsADnsProblem() {
        dns.txt("_acme-challenge.app.test", DIGEST).failAll(TestDnsServer.Failure.DROP);

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test"), Duration.ofSeconds(2)),
                AcmeProblemType.DNS);
        assertThat(invalid.detail()).isEqualTo("DNS server " + dns.hostPort()
                + " did not answer TXT _acme-challenge.app.test in time");
    }

    @Test
    void dns01ReportsACnameLoopAsADnsProblem() {
        dns.cname("_acme-challenge.app.test", "loop.test").cname("loop.test", "_acme-challenge.app.test");

        ValidationOutcome.Invalid invalid = invalid(validate(Identifier.dns("app.test")), AcmeProblemType.DNS);
        assertThat(invalid.detail()).contains("CNAME loop");
    }

    @Test
    void dns01CannotValidateAnIpAddress() {
        invalid(validate(Identifier.ip("127.0.0.1")), AcmeProblemType.MALFORMED);
    }
}
