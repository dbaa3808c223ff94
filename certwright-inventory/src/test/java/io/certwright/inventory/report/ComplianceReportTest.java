package io.certwright.inventory.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.inventory.CertificateFacts;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InMemoryInventoryStore;
import io.certwright.inventory.Inventory;
import io.certwright.inventory.OwnershipRules;
import io.certwright.inventory.Place;
import io.certwright.inventory.TestCertificates;
import io.certwright.inventory.TlsFacts;
import io.certwright.inventory.status.InventoryStatuses;
import io.certwright.inventory.status.RenewalPolicy;
import io.certwright.inventory.status.ThresholdPolicy;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class ComplianceReportTest {

    private static final Instant FROM = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2030-02-01T00:00:00Z");
    private static final KeyPair SHARED = TestCertificates.ecKey();
    private final Inventory inventory = new Inventory(new InMemoryInventoryStore(), OwnershipRules.none(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private X509Certificate weak;
    private X509Certificate wildcard;
    private X509Certificate reusedA;
    private X509Certificate reusedB;
    private X509Certificate longLived;
    private X509Certificate hostile;

    @BeforeEach
    void fill() {
        weak = TestCertificates.leaf().subject("CN=legacy.example.com").dns("legacy.example.com")
                .key(TestCertificates.rsaKey(1024)).selfSigned().signatureAlgorithm("SHA1withRSA")
                .validity(FROM, FROM.plus(Duration.ofDays(90))).build();
        inventory.recordSeen(List.of(weak), Place.Endpoint.of("legacy.example.com", 443), NOW,
                Optional.of(new TlsFacts(false, false, false)));

        wildcard = TestCertificates.leaf().dns("*.example.com").key(TestCertificates.ecKey())
                .validity(FROM, NOW.plus(Duration.ofDays(10))).build();
        inventory.recordSeen(List.of(wildcard), Place.Endpoint.of("www.example.com", 443), NOW,
                Optional.of(TlsFacts.healthy()));

        reusedA = TestCertificates.leaf().dns("a.example.com").key(SHARED).validity(FROM, FROM.plus(Duration.ofDays(90)))
                .build();
        reusedB = TestCertificates.leaf().dns("b.example.com").key(SHARED).validity(FROM, FROM.plus(Duration.ofDays(90)))
                .build();
        inventory.recordSeen(List.of(reusedA), Place.Endpoint.of("a.example.com", 443), NOW, Optional.empty());
        inventory.recordSeen(List.of(reusedB), new Place.File("/etc/b.pem"), NOW, Optional.empty());
        inventory.assignOwner(fp(reusedA), "team-a", Map.of("service", "alpha"));
        inventory.assignOwner(fp(reusedB), "team-b", Map.of("service", "beta"));

        longLived = TestCertificates.leaf().dns("old.example.com").key(TestCertificates.ecKey())
                .validity(FROM, FROM.plus(Duration.ofDays(825))).build();
        inventory.recordIssued(longLived, List.of());

        hostile = TestCertificates.leaf().subject("CN=<script>alert(1)</script>").dns("=cmd.example.com")
                .key(TestCertificates.ecKey()).validity(FROM, NOW.plus(Duration.ofDays(2))).build();
        inventory.recordSeen(List.of(hostile), new Place.File("/srv/\"quoted\",<b>.pem"), NOW, Optional.empty());
        inventory.assignOwner(fp(hostile), "=HYPERLINK(\"http://evil\")", Map.of());
    }

    private static Fingerprint fp(X509Certificate c) {
        return CertificateFacts.of(c).fingerprint();
    }

    private ComplianceReport report() {
        InventoryStatuses.Snapshot snapshot = new InventoryStatuses(ThresholdPolicy.standard(),
                RenewalPolicy.defaults()).compute(inventory.entries(), NOW);
        return new ComplianceReporter(ReportPolicy.defaults()).build(snapshot);
    }

    private static List<Fingerprint> of(ComplianceReport r, FindingType type) {
        return r.findings(type).stream().map(ComplianceReport.Finding::fingerprint).toList();
    }

    @Test
    void reportFindsEachKindOfProblemOnTheRightCertificate() {
        ComplianceReport r = report();
        assertThat(of(r, FindingType.WEAK_KEY)).containsExactly(fp(weak));
        assertThat(r.findings(FindingType.WEAK_KEY).getFirst().detail()).isEqualTo("RSA 1024");
        assertThat(of(r, FindingType.SHA1_SIGNATURE)).containsExactly(fp(weak));
        assertThat(of(r, FindingType.SELF_SIGNED_IN_USE)).containsExactly(fp(weak));
        assertThat(of(r, FindingType.UNTRUSTED_CHAIN)).containsExactly(fp(weak));
        assertThat(of(r, FindingType.INCOMPLETE_CHAIN)).containsExactly(fp(weak));
        assertThat(of(r, FindingType.HOSTNAME_MISMATCH)).containsExactly(fp(weak));
        assertThat(r.findings(FindingType.HOSTNAME_MISMATCH).getFirst().places())
                .containsExactly("legacy.example.com:443");
        assertThat(of(r, FindingType.WILDCARD)).containsExactly(fp(wildcard));
        assertThat(of(r, FindingType.LIFETIME_TOO_LONG)).containsExactly(fp(longLived));
        assertThat(of(r, FindingType.EXPIRING)).containsExactlyInAnyOrder(fp(wildcard), fp(hostile));
        assertThat(of(r, FindingType.EXPIRED)).isEmpty();
    }

    @Test
    void oneKeyInTwoCertificatesOfTwoServicesIsReported() {
        ComplianceReport r = report();
        assertThat(r.keyReuse()).hasSize(1);
        ComplianceReport.KeyReuse reuse = r.keyReuse().getFirst();
        assertThat(reuse.certificates()).containsExactlyInAnyOrder(fp(reusedA), fp(reusedB));
        assertThat(reuse.services()).containsExactly("alpha", "beta");
        assertThat(reuse.owners()).containsExactly("team-a", "team-b");
    }

    @Test
    void blastRadiusGroupsCertificatesByIssuingKey() {
        ComplianceReport r = report();
        String issuerKey = CertificateFacts.of(TestCertificates.defaultIssuer().certificate()).subjectKeyId()
                .orElseThrow();
        ComplianceReport.BlastRadius ca = r.blastRadius().stream().filter(b -> b.issuerKeyId().equals(issuerKey))
                .findFirst().orElseThrow();
        assertThat(ca.certificates()).isEqualTo(5);
        assertThat(ca.places()).contains("a.example.com:443", "/etc/b.pem", "www.example.com:443");
        assertThat(ca.owners()).contains("team-a", "team-b");
        assertThat(r.blastRadius()).hasSize(2);
    }

    @Test
    void htmlEscapesEverythingTakenFromCertificatesAndLoadsNothingFromOutside() {
        String html = ReportFormat.HTML.write(report());
        assertThat(html).doesNotContain("<script>").contains("\\&lt;script\\&gt;alert(1)\\&lt;/script\\&gt;");
        assertThat(html).doesNotContain("<b>.pem").contains("&quot;quoted&quot;,&lt;b&gt;.pem");
        assertThat(html).doesNotContain("src=").doesNotContain("href=").doesNotContain("@import");
        assertThat(html).startsWith("<!DOCTYPE html>");
    }

    @Test
    void csvQuotesCellsAndDefusesFormulas() {
        String csv = ReportFormat.CSV.write(report());
        assertThat(csv).startsWith("section,type,fingerprint,subject,owner,not_after,places,detail\r\n");
        assertThat(csv).contains("\"/srv/\"\"quoted\"\",<b>.pem\"");
        assertThat(csv).contains("\"'=HYPERLINK(\"\"http://evil\"\")\"").doesNotContain(",=HYPERLINK");
    }

    @Test
    void jsonIsValidAndCarriesEverySection() {
        JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.write(report()));
        assertThat(json.get("certificates").asInt()).isEqualTo(6);
        assertThat(json.get("counts").get("expiring").asInt()).isEqualTo(2);
        assertThat(json.get("findings").isArray()).isTrue();
        assertThat(json.get("keyReuse")).hasSize(1);
        assertThat(json.get("blastRadius")).hasSize(2);
        assertThat(json.get("policy").get("minRsaBits").asInt()).isEqualTo(2048);
    }

    @Test
    void formatNamesParse() {
        for (ReportFormat f : ReportFormat.values()) {
            assertThat(ReportFormat.parse(f.wireName().toUpperCase(java.util.Locale.ROOT))).isEqualTo(f);
        }
    }
}
