package io.certwright.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.inventory.discovery.Finding;
import io.certwright.inventory.discovery.HostnameMatch;
import io.certwright.inventory.discovery.ScanReport;
import io.certwright.inventory.discovery.Starttls;
import io.certwright.inventory.discovery.TlsDetails;
import io.certwright.inventory.discovery.TrustCheck;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/// Findings of discovery become inventory sightings at the right places with the right TLS facts.
class FindingsTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final TrustCheck UNTRUSTED = new TrustCheck(TrustCheck.Verdict.UNTRUSTED, "unknown issuer");

    private static TlsDetails details(TrustCheck extra, TrustCheck jdk, HostnameMatch hostname) {
        return new TlsDetails("TLSv1.3", "TLS_AES_128_GCM_SHA256", false, extra, jdk, hostname);
    }

    @Test
    void eachDiscoveryPlaceMapsToItsInventoryPlaceAndLaterChainsOfABundleGetTheirOwn() {
        assertThat(Findings.place(new io.certwright.inventory.discovery.Place.Endpoint("API.example.com", 8443,
                Optional.of("www.example.com"), "192.0.2.1", Starttls.NONE)).key())
                .isEqualTo("tls://api.example.com:8443#www.example.com");
        assertThat(Findings.place(new io.certwright.inventory.discovery.Place.File(Path.of("/etc/ssl/ca.pem"), 1)).key())
                .isEqualTo("file:/etc/ssl/ca.pem");
        assertThat(Findings.place(new io.certwright.inventory.discovery.Place.File(Path.of("/etc/ssl/ca.pem"), 3)).key())
                .isEqualTo("file:/etc/ssl/ca.pem#3");
        assertThat(Findings.place(new io.certwright.inventory.discovery.Place.KeystoreEntry(Path.of("/srv/app.p12"),
                "PKCS12", "server", io.certwright.inventory.discovery.Place.EntryKind.PRIVATE_KEY)).key())
                .isEqualTo("keystore:/srv/app.p12!server");
    }

    @Test
    void aChainIsTrustedWhenEitherRootSetTrustsItAndCompleteWhenTrustedOrEndingSelfIssued() {
        X509Certificate leaf = TestCertificates.leaf().dns("a.example.com").build();
        X509Certificate root = TestCertificates.defaultIssuer().certificate();
        TrustCheck trusted = new TrustCheck(TrustCheck.Verdict.TRUSTED, "chains to root");

        assertThat(Findings.facts(details(trusted, UNTRUSTED, HostnameMatch.MATCH), List.of(leaf)))
                .isEqualTo(new TlsFacts(true, true, true));
        assertThat(Findings.facts(details(UNTRUSTED, UNTRUSTED, HostnameMatch.MISMATCH), List.of(leaf)))
                .isEqualTo(new TlsFacts(false, false, false));
        assertThat(Findings.facts(details(UNTRUSTED, UNTRUSTED, HostnameMatch.NOT_CHECKED), List.of(leaf, root)))
                .isEqualTo(new TlsFacts(true, false, true));
    }

    @Test
    void recordingAReportAddsThenUpdatesAndCountsWhatItAdded() {
        Inventory inventory = new Inventory(new InMemoryInventoryStore(), OwnershipRules.none(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        X509Certificate leaf = TestCertificates.leaf().dns("b.example.com").build();
        Finding atEndpoint = Finding.of(new io.certwright.inventory.discovery.Place.Endpoint("b.example.com", 443,
                Optional.of("b.example.com"), "192.0.2.2", Starttls.NONE), List.of(leaf), NOW,
                Optional.of(details(UNTRUSTED, UNTRUSTED, HostnameMatch.MATCH)));
        Finding inFile = Finding.of(new io.certwright.inventory.discovery.Place.File(Path.of("/etc/b.pem"), 1),
                List.of(leaf), NOW, Optional.empty());

        Findings.Recorded r = Findings.record(inventory, new ScanReport(List.of(atEndpoint, inFile), List.of(), NOW, NOW));

        assertThat(r).isEqualTo(new Findings.Recorded(1, 1, 0, List.of()));
        InventoryEntry e = inventory.entries().getFirst();
        assertThat(e.places()).extracting(Place::key).containsExactlyInAnyOrder("tls://b.example.com:443",
                "file:/etc/b.pem");
        assertThat(e.sightingAt(Place.Endpoint.of("b.example.com", 443)).flatMap(Sighting::tls))
                .hasValue(new TlsFacts(true, false, false));
        assertThat(e.issuedByUs()).isFalse();
    }
}
