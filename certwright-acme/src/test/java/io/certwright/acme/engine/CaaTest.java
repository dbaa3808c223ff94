package io.certwright.acme.engine;

import static io.certwright.acme.engine.AcmeClient.json;
import static io.certwright.acme.engine.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.validation.DnsCaaChecker;
import io.certwright.acme.validation.TestDnsServer;
import io.certwright.acme.validation.ValidationSettings;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.TestCa;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/// CAA (RFC 8659) at finalization, against real CAA records served by a test DNS server: the provisioner
/// `caa` calls itself `certwright.test` and `pki.example.net`.
class CaaTest {

    private static TestDnsServer dns;

    private AcmeHarness h;

    @BeforeAll
    static void startDns() throws Exception {
        dns = TestDnsServer.start();
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @BeforeEach
    void start() throws Exception {
        dns.clear();
        h = harness(dns.hostPort());
    }

    @AfterEach
    void close() {
        h.close();
    }

    private static AcmeHarness harness(String dnsServer) throws Exception {
        return new AcmeHarness(UnaryOperator.identity(), new DnsCaaChecker(ValidationSettings.defaults()
                .withDnsServer(dnsServer).withTimeout(Duration.ofSeconds(2))));
    }

    private static AcmeClient account(AcmeHarness harness, String provisioner) throws Exception {
        AcmeClient c = harness.client(provisioner);
        c.register();
        return c;
    }

    /// Places an order for `names` (DNS names and IP addresses), validates it and finalizes it.
    private static Finalized finalizeAs(AcmeClient c, String... names) throws Exception {
        AcmeResponse created = c.newOrder(names);
        assertThat(created.status()).as(created.bodyText()).isEqualTo(201);
        JsonNode order = json(created);
        for (JsonNode authzUrl : order.get("authorizations")) {
            JsonNode challenges = json(c.postAsGet(authzUrl.asString())).get("challenges");
            // dns-01 where offered (wildcards have nothing else), http-01 for IP addresses
            JsonNode chosen = challenges.get(0);
            for (JsonNode ch : challenges) {
                if ("dns-01".equals(ch.get("type").asString())) {
                    chosen = ch;
                }
            }
            assertThat(c.post(chosen.get("url").asString(), "{}").status()).isEqualTo(200);
            c.awaitAuthorization(authzUrl.asString());
        }
        String orderUrl = created.header("Location").orElseThrow();
        assertThat(json(c.postAsGet(orderUrl)).get("status").asString()).isEqualTo("ready");
        List<String> dnsNames = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (String n : names) {
            (n.matches("[0-9.]+") ? ips : dnsNames).add(n);
        }
        AcmeResponse r = c.finalizeOrder(order, AcmeClient.csr(TestCa.keyPair(KeyAlgorithm.P256), KeyAlgorithm.P256,
                dnsNames, ips, Optional.empty()));
        return new Finalized(r, json(c.postAsGet(orderUrl)));
    }

    record Finalized(AcmeResponse response, JsonNode order) {
    }

    private Finalized finalizeOrder(String... names) throws Exception {
        return finalizeAs(account(h, "caa"), names);
    }

    private static void assertIssued(Finalized f) {
        assertThat(f.response().status()).as(f.response().bodyText()).isEqualTo(200);
        assertThat(f.order().get("status").asString()).isEqualTo("valid");
        assertThat(f.order().has("certificate")).isTrue();
    }

    /// The refusal: `caa` (403), audited, the order invalid with the same problem, nothing issued.
    private JsonNode assertRefusedByCaa(Finalized f, int issuedBefore) {
        JsonNode problem = assertRefused(h, f.response(), AcmeProblemType.CAA, 403);
        assertThat(h.audit.refusals().getLast().action()).isEqualTo("acme.finalize");
        assertThat(f.order().get("status").asString()).isEqualTo("invalid");
        assertThat(f.order().get("error").get("type").asString()).isEqualTo(AcmeProblemType.CAA.urn());
        assertThat(f.order().has("certificate")).isFalse();
        assertThat(h.issuer.issuedCount()).isEqualTo(issuedBefore);
        return problem;
    }

    private static List<String> subproblemIdentifiers(JsonNode problem) {
        List<String> out = new ArrayList<>();
        problem.get("subproblems").forEach(s -> out.add(s.get("identifier").get("value").asString()));
        return out;
    }

    private static List<String> caaQuestions() {
        return dns.questions().stream().filter(q -> q.endsWith(" CAA")).toList();
    }

    @Test
    void aNameWithoutCaaRecordsUpToTheRootIsIssued() throws Exception {
        assertIssued(finalizeOrder("www.plain.test"));
        assertThat(caaQuestions()).containsExactly("www.plain.test CAA", "plain.test CAA", "test CAA");
    }

    @Test
    void caaRecordsNamingThisCaPermitIssuanceWhateverTheCaseAndParameters() throws Exception {
        dns.caa("named.test", 0, "issue", "other-ca.example").caa("named.test", 0, "issue",
                "PKI.Example.NET.; account=12345");
        dns.caa("named.test", 0, "iodef", "mailto:security@named.test");
        assertIssued(finalizeOrder("named.test"));
    }

    @Test
    void caaRecordsNamingOnlyAnotherCaRefuseIssuanceWithCaaAndTheOrderBecomesInvalid() throws Exception {
        dns.caa("other.test", 0, "issue", "letsencrypt.org");
        int issued = h.issuer.issuedCount();

        Finalized f = finalizeOrder("other.test", "fine.test");

        JsonNode problem = assertRefusedByCaa(f, issued);
        assertThat(problem.get("detail").asString()).contains("other.test", "\"letsencrypt.org\"");
        assertThat(subproblemIdentifiers(problem)).containsExactly("other.test");
        assertThat(problem.get("subproblems").get(0).get("type").asString()).isEqualTo(AcmeProblemType.CAA.urn());
    }

    @Test
    void anEmptyIssueValueForbidsEveryCa() throws Exception {
        dns.caa("nobody.test", 0, "issue", ";");
        assertRefusedByCaa(finalizeOrder("nobody.test"), h.issuer.issuedCount());
    }

    @Test
    void theRecordsOfTheClosestParentWithCaaRecordsApply() throws Exception {
        dns.caa("parent.test", 0, "issue", "letsencrypt.org");
        dns.caa("allowed.parent.test", 0, "issue", "certwright.test");

        assertRefusedByCaa(finalizeOrder("www.deep.parent.test"), h.issuer.issuedCount());
        assertIssued(finalizeOrder("www.allowed.parent.test"));
        assertThat(caaQuestions()).containsSequence("www.deep.parent.test CAA", "deep.parent.test CAA",
                "parent.test CAA").doesNotContain("test CAA");
    }

    @Test
    void aWildcardIsCheckedAgainstIssuewildWhenTheRecordsHaveIt() throws Exception {
        dns.caa("wild.test", 0, "issue", "certwright.test").caa("wild.test", 0, "issuewild", "letsencrypt.org");

        assertRefusedByCaa(finalizeOrder("*.wild.test"), h.issuer.issuedCount());
        assertIssued(finalizeOrder("wild.test"));
        assertThat(caaQuestions()).doesNotContain("*.wild.test CAA");
    }

    @Test
    void aWildcardIsCheckedAgainstIssueWhenTheRecordsHaveNoIssuewild() throws Exception {
        dns.caa("tame.test", 0, "issue", "certwright.test");
        dns.caa("strict.test", 0, "issue", "letsencrypt.org");

        assertIssued(finalizeOrder("*.tame.test"));
        assertRefusedByCaa(finalizeOrder("*.strict.test"), h.issuer.issuedCount());
    }

    @Test
    void issuewildNamingThisCaDoesNotPermitANameThatIsNotAWildcard() throws Exception {
        dns.caa("half.test", 0, "issue", "letsencrypt.org").caa("half.test", 0, "issuewild", "certwright.test");

        assertIssued(finalizeOrder("*.half.test"));
        assertRefusedByCaa(finalizeOrder("half.test"), h.issuer.issuedCount());
    }

    @Test
    void aCriticalPropertyThisCaDoesNotUnderstandForbidsIssuanceEvenBesideAnIssueNamingIt() throws Exception {
        dns.caa("critical.test", 128, "futuretag", "anything");
        dns.caa("critical-too.test", 0, "issue", "certwright.test").caa("critical-too.test", 128, "tbs", "x");
        dns.caa("lenient.test", 0, "futuretag", "anything");

        JsonNode problem = assertRefusedByCaa(finalizeOrder("critical.test"), h.issuer.issuedCount());
        assertThat(problem.get("detail").asString()).contains("critical", "\"futuretag\"");
        assertRefusedByCaa(finalizeOrder("critical-too.test"), h.issuer.issuedCount());
        assertIssued(finalizeOrder("lenient.test"));
    }

    @Test
    void aDnsServerAnsweringServfailRefusesIssuanceWithAProblemNotAServerError() throws Exception {
        dns.fail("broken.test", TestDnsServer.Failure.SERVFAIL);

        JsonNode problem = assertRefusedByCaa(finalizeOrder("broken.test"), h.issuer.issuedCount());

        assertThat(problem.get("detail").asString()).contains("SERVFAIL", "CAA broken.test", dns.hostPort());
        assertThat(problem.get("subproblems").get(0).get("type").asString()).isEqualTo(AcmeProblemType.DNS.urn());
    }

    @Test
    void aDnsServerThatIsDownRefusesIssuanceWithAProblemNotAServerError() throws Exception {
        TestDnsServer gone = TestDnsServer.start();
        String address = gone.hostPort();
        gone.close();
        try (AcmeHarness down = harness(address)) {
            int issued = down.issuer.issuedCount();
            Finalized f = finalizeAs(account(down, "caa"), "down.test");

            JsonNode problem = assertRefused(down, f.response(), AcmeProblemType.CAA, 403);
            assertThat(problem.get("detail").asString()).contains("CAA", "down.test", address);
            assertThat(subproblemIdentifiers(problem)).containsExactly("down.test");
            assertThat(f.order().get("status").asString()).isEqualTo("invalid");
            assertThat(down.issuer.issuedCount()).isEqualTo(issued);
        }
    }

    @Test
    void ipAddressesHaveNoCaaRecordsToLookUp() throws Exception {
        assertIssued(finalizeOrder("192.0.2.10"));
        assertThat(caaQuestions()).isEmpty();
    }

    @Test
    void aProvisionerWithoutCaaIdentitiesLooksUpNoCaaRecords() throws Exception {
        dns.caa("forbidding.test", 0, "issue", "letsencrypt.org");

        assertIssued(finalizeAs(account(h, "main"), "forbidding.test"));
        assertThat(caaQuestions()).isEmpty();
    }

    @Test
    void everyIdentifierOfTheOrderIsCheckedAndEachRefusalIsASubproblem() throws Exception {
        dns.caa("a.test", 0, "issue", "letsencrypt.org").caa("b.test", 0, "issue", "certwright.test");
        dns.caa("c.test", 0, "issue", "sectigo.com");

        JsonNode problem = assertRefusedByCaa(finalizeOrder("a.test", "b.test", "c.test"), h.issuer.issuedCount());

        assertThat(subproblemIdentifiers(problem)).containsExactly("a.test", "c.test");
        assertThat(problem.get("detail").asString()).contains("2 identifiers", "a.test", "c.test")
                .doesNotContain("b.test");
    }
}
