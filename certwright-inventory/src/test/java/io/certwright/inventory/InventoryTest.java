package io.certwright.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InventoryTest {

    private static final Instant T0 = Instant.parse("2030-02-01T00:00:00Z");
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final InMemoryInventoryStore store = new InMemoryInventoryStore();

    private static final OwnershipRules RULES = new OwnershipRules(List.of(
            OwnershipRule.of("payments-spiffe", new OwnershipRule.SpiffeIdMatch(
                    NamePattern.spiffe("spiffe://example.org/payments/**")), "payments",
                    Map.of("team", "payments", "service", "payments-api")),
            OwnershipRule.of("web-dns", new OwnershipRule.SanMatch(NamePattern.dns("*.web.example.com")), "web",
                    Map.of("team", "web", "environment", "production")),
            OwnershipRule.of("edge", new OwnershipRule.EndpointMatch(NamePattern.endpoint("*.edge.internal:443")),
                    "edge", Map.of("team", "edge"))));

    @Test
    void sameCertificateSeenTwiceIsOneEntryWithBothPlacesAndTheirFirstAndLastSeen() {
        Inventory inventory = new Inventory(store, RULES, clock);
        X509Certificate cert = TestCertificates.leaf().dns("api.example.com").build();
        Place a = Place.Endpoint.of("api.example.com", 443);
        Place b = new Place.File("/etc/ssl/api.pem");

        assertThat(inventory.recordSeen(List.of(cert), a, T0, Optional.of(TlsFacts.healthy())))
                .isInstanceOf(IngestResult.Added.class);
        assertThat(inventory.recordSeen(List.of(cert), b, T0.plusSeconds(10), Optional.empty()))
                .isInstanceOf(IngestResult.Updated.class);
        inventory.recordSeen(List.of(cert), a, T0.plusSeconds(3600), Optional.of(new TlsFacts(false, true, true)));

        assertThat(store.count()).isEqualTo(1);
        InventoryEntry e = inventory.find(Fingerprint.sha256(EncodedCertificate.of(cert).der())).orElseThrow();
        assertThat(e.places()).containsExactly(a, b);
        Sighting atA = e.sightingAt(a).orElseThrow();
        assertThat(atA.firstSeen()).isEqualTo(T0);
        assertThat(atA.lastSeen()).isEqualTo(T0.plusSeconds(3600));
        assertThat(atA.tls()).contains(new TlsFacts(false, true, true));
        assertThat(e.lastSeen()).isEqualTo(T0.plusSeconds(3600));
        assertThat(e.issuedByUs()).isFalse();
    }

    @Test
    void anOlderSightingDoesNotMoveLastSeenBackNorOverwriteNewerTlsFacts() {
        Inventory inventory = new Inventory(store, RULES, clock);
        X509Certificate cert = TestCertificates.leaf().build();
        Place a = Place.Endpoint.of("h", 8443);
        inventory.recordSeen(List.of(cert), a, T0, Optional.of(TlsFacts.healthy()));
        inventory.recordSeen(List.of(cert), a, T0.minusSeconds(60), Optional.of(new TlsFacts(false, false, false)));

        Sighting s = inventory.entries().getFirst().sightingAt(a).orElseThrow();
        assertThat(s.firstSeen()).isEqualTo(T0.minusSeconds(60));
        assertThat(s.lastSeen()).isEqualTo(T0);
        assertThat(s.tls()).contains(TlsFacts.healthy());
    }

    @Test
    void issuedCertificateLaterDiscoveredKeepsTheIssuedByUsFlag() {
        Inventory inventory = new Inventory(store, RULES, clock);
        X509Certificate cert = TestCertificates.leaf().uri("spiffe://example.org/payments/api").build();
        inventory.recordIssued(cert, List.of(TestCertificates.defaultIssuer().certificate()));
        inventory.recordSeen(List.of(cert), new Place.KeystoreEntry("/srv/app.p12", "server"), T0, Optional.empty());

        InventoryEntry e = inventory.entries().getFirst();
        assertThat(e.issuedByUs()).isTrue();
        assertThat(e.chain()).hasSize(1);
        assertThat(e.facts().spiffeId()).contains("spiffe://example.org/payments/api");
    }

    @Test
    void recordIssuedUnlessHeldWritesOnlyWhatTheInventoryDoesNotHoldAsIssuedByUs() {
        Inventory inventory = new Inventory(store, RULES, clock);
        X509Certificate issued = TestCertificates.leaf().dns("issued.example.com").build();
        X509Certificate seen = TestCertificates.leaf().dns("seen.example.com").build();
        List<X509Certificate> chain = List.of(TestCertificates.defaultIssuer().certificate());
        inventory.recordSeen(List.of(seen), new Place.File("/etc/ssl/seen.pem"), T0, Optional.empty());

        assertThat(inventory.recordIssuedUnlessHeld(issued, chain)).containsInstanceOf(IngestResult.Added.class);
        InventoryEntry held = inventory.find(Fingerprint.sha256(EncodedCertificate.of(issued).der())).orElseThrow();
        assertThat(inventory.recordIssuedUnlessHeld(issued, chain)).isEmpty();
        assertThat(inventory.find(held.fingerprint())).contains(held);

        assertThat(inventory.recordIssuedUnlessHeld(seen, chain)).containsInstanceOf(IngestResult.Updated.class);
        InventoryEntry flagged = inventory.find(Fingerprint.sha256(EncodedCertificate.of(seen).der())).orElseThrow();
        assertThat(flagged.issuedByUs()).isTrue();
        assertThat(flagged.places()).containsExactly(new Place.File("/etc/ssl/seen.pem"));
    }

    @Test
    void facts_readNamesKeyIdentifiersAndKey() {
        X509Certificate cert = TestCertificates.leaf().subject("CN=api").dns("API.example.com", "*.example.com")
                .uri("spiffe://example.org/ns/a").build();
        CertificateFacts f = CertificateFacts.of(cert);
        assertThat(f.dnsNames()).containsExactly("api.example.com", "*.example.com");
        assertThat(f.spiffeId()).contains("spiffe://example.org/ns/a");
        assertThat(f.keyType()).isEqualTo("EC");
        assertThat(f.keySize()).isEqualTo(256);
        assertThat(f.authorityKeyId()).isPresent();
        assertThat(f.authorityKeyId())
                .isEqualTo(CertificateFacts.of(TestCertificates.defaultIssuer().certificate()).subjectKeyId());
        assertThat(f.hasWildcard()).isTrue();
        assertThat(f.selfSigned()).isFalse();
        assertThat(f.identity()).isEqualTo("spiffe:spiffe://example.org/ns/a");
    }

    @Test
    void rulesAssignOwnerInOrderAndAManualOwnerIsNeverOverwritten() {
        Inventory inventory = new Inventory(store, RULES, clock);
        X509Certificate web = TestCertificates.leaf().dns("shop.web.example.com").build();
        X509Certificate edge = TestCertificates.leaf().key(TestCertificates.ecKey()).dns("x.example.net").build();
        inventory.recordSeen(List.of(web), Place.Endpoint.of("shop.web.example.com", 443), T0, Optional.empty());
        inventory.recordSeen(List.of(edge), Place.Endpoint.of("lb1.edge.internal", 443), T0, Optional.empty());
        Fingerprint webFp = CertificateFacts.of(web).fingerprint();
        Fingerprint edgeFp = CertificateFacts.of(edge).fingerprint();

        assertThat(inventory.find(webFp).orElseThrow().ownership().owner()).contains("web");
        assertThat(inventory.find(webFp).orElseThrow().ownership().labels())
                .containsEntry("environment", "production");
        assertThat(inventory.find(edgeFp).orElseThrow().ownership().rule()).contains("edge");

        inventory.assignOwner(webFp, "storefront", Map.of("team", "storefront"));
        int changed = inventory.replaceRules(new OwnershipRules(List.of(OwnershipRule.of("all",
                new OwnershipRule.SanMatch(NamePattern.dns("**")), "platform", Map.of()))));

        assertThat(changed).isEqualTo(1);
        assertThat(inventory.find(webFp).orElseThrow().ownership().owner()).contains("storefront");
        assertThat(inventory.find(webFp).orElseThrow().ownership().manual()).isTrue();
        assertThat(inventory.find(edgeFp).orElseThrow().ownership().owner()).contains("platform");

        inventory.clearManualOwner(webFp);
        assertThat(inventory.find(webFp).orElseThrow().ownership().owner()).contains("platform");
    }

    @Test
    void garbageOversizedAndEmptyChainsAreRejectedAndNothingIsStored() {
        Inventory inventory = new Inventory(store, RULES, clock);
        Place p = Place.Endpoint.of("h", 443);
        assertThat(inventory.recordSeenDer(List.of(new byte[] {0x30, 0x03, 1, 2, 3}), p, T0, Optional.empty()))
                .isInstanceOf(IngestResult.Rejected.class);
        assertThat(inventory.recordSeenDer(List.of(new byte[Inventory.MAX_CERTIFICATE_BYTES + 1]), p, T0,
                Optional.empty())).isInstanceOf(IngestResult.Rejected.class);
        assertThat(inventory.recordSeenDer(List.of(), p, T0, Optional.empty()))
                .isInstanceOf(IngestResult.Rejected.class);
        byte[] der = EncodedCertificate.of(TestCertificates.leaf().build()).der();
        List<byte[]> longChain = java.util.Collections.nCopies(Inventory.MAX_CHAIN_LENGTH + 1, der);
        assertThat(inventory.recordSeenDer(longChain, p, T0, Optional.empty()))
                .isInstanceOf(IngestResult.Rejected.class);
        assertThat(store.count()).isZero();

        assertThat(inventory.recordSeenDer(List.of(der), p, T0, Optional.empty()))
                .isInstanceOf(IngestResult.Added.class);
    }

    @Test
    void concurrentSightingsOfOneCertificateAreAllKept() throws Exception {
        Inventory inventory = new Inventory(store, RULES, clock);
        X509Certificate cert = TestCertificates.leaf().build();
        int threads = 8;
        List<Thread> started = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int port = 1000 + i;
            started.add(Thread.ofVirtual().start(() -> inventory.recordSeen(List.of(cert),
                    Place.Endpoint.of("h", port), T0, Optional.empty())));
        }
        for (Thread t : started) {
            t.join();
        }
        assertThat(inventory.entries().getFirst().sightings()).hasSize(threads);
    }

    @Test
    void placeKeysRoundTrip() {
        for (Place p : List.of(Place.Endpoint.of("API.example.com", 443),
                new Place.Endpoint("10.0.0.1", 8443, Optional.of("svc.internal")),
                new Place.Endpoint("::1", 443, Optional.empty()), new Place.File("/etc/a b.pem"),
                new Place.KeystoreEntry("/srv/ks.jks", "my!alias"))) {
            assertThat(Place.parse(p.key())).isEqualTo(p);
        }
    }
}
