package io.certwright.testing;

import io.certwright.inventory.CertificateFacts;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.Ownership;
import io.certwright.inventory.Place;
import io.certwright.inventory.Sighting;
import io.certwright.inventory.TlsFacts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/// Inventory entries for storage tests, made without a CA: the "certificate" of each is a few bytes derived
/// from a seed (stores keep DER opaque and never parse it), and its facts are filled in to match. Two
/// entries made from the same seed are equal; different seeds give different fingerprints.
public final class InventoryEntries {

    /// The instant every entry's times are relative to.
    public static final Instant BASE = Instant.parse("2030-01-01T00:00:00Z");

    private InventoryEntries() {
    }

    /// The stand-in DER encoding of the certificate of `seed`.
    public static EncodedCertificate certificate(String seed) {
        return EncodedCertificate.of(("certificate " + seed).getBytes(StandardCharsets.UTF_8));
    }

    /// The facts of the certificate of `seed`, valid for `lifetime` up to `notAfter`.
    public static CertificateFacts facts(String seed, Instant notAfter) {
        return new CertificateFacts(certificate(seed).fingerprint(), "CN=" + seed + ",O=Example",
                "CN=Example Issuing CA,O=Example", List.of(seed + ".example.com", "*.svc.example.com"),
                List.of("192.0.2.7", "2001:db8::7"), List.of("spiffe://example.org/ns/prod/sa/" + seed),
                Optional.of("spiffe://example.org/ns/prod/sa/" + seed), "0a1b2c" + Integer.toHexString(seed.hashCode()),
                notAfter.minus(Duration.ofDays(90)), notAfter, "EC", 256, "SHA256withECDSA",
                Fingerprint.sha256(("key " + seed).getBytes(StandardCharsets.UTF_8)), Optional.of("a1b2c3d4"),
                Optional.of("e5f6a7b8"), false, false);
    }

    /// A version-1 entry for `seed`, without owner, sightings or chain, expiring at `notAfter`.
    public static InventoryEntry plain(String seed, Instant notAfter) {
        return new InventoryEntry(facts(seed, notAfter), certificate(seed), List.of(), false, Optional.empty(),
                List.of(), Ownership.none(), BASE, BASE, 1);
    }

    /// A version-1 entry for `seed` that uses every field: a two-certificate chain, sightings at an endpoint
    /// (with TLS facts), a file and a keystore entry, an owner set by a rule with labels, issued by us,
    /// revoked.
    public static InventoryEntry rich(String seed) {
        Instant notAfter = BASE.plus(Duration.ofDays(30));
        TreeMap<String, String> labels = new TreeMap<>(Map.of(Ownership.TEAM, "payments",
                Ownership.ENVIRONMENT, "prod", Ownership.SERVICE, seed));
        Ownership ownership = new Ownership(Optional.of("payments"), labels, Ownership.Source.RULE,
                Optional.of("payments-dns"));
        List<Sighting> sightings = List.of(
                new Sighting(new Place.Endpoint(seed + ".example.com", 8443, Optional.of("api.example.com")),
                        BASE.minus(Duration.ofDays(3)), BASE.minus(Duration.ofHours(1)),
                        Optional.of(new TlsFacts(true, false, true))),
                new Sighting(Place.Endpoint.of("2001:db8::7", 443), BASE.minus(Duration.ofDays(2)),
                        BASE.minus(Duration.ofDays(2)), Optional.of(TlsFacts.healthy())),
                new Sighting(new Place.File("/etc/ssl/" + seed + ".pem"), BASE.minus(Duration.ofDays(1)),
                        BASE, Optional.empty()),
                new Sighting(new Place.KeystoreEntry("/opt/app/keystore.p12", "server!%key"),
                        BASE.minusSeconds(5), BASE.minusSeconds(1), Optional.empty()));
        return new InventoryEntry(facts(seed, notAfter), certificate(seed),
                List.of(certificate(seed + " issuer"), certificate(seed + " root")), true,
                Optional.of(BASE.minus(Duration.ofMinutes(5))), sightings, ownership,
                BASE.minus(Duration.ofDays(3)), BASE, 1);
    }

    /// `entry` with another owner (set by hand) and the next version.
    public static InventoryEntry ownedBy(InventoryEntry entry, String owner) {
        return new InventoryEntry(entry.facts(), entry.certificate(), entry.chain(), entry.issuedByUs(),
                entry.revokedAt(), entry.sightings(), Ownership.manual(owner, Map.of()), entry.firstSeen(),
                entry.lastSeen(), entry.version() + 1);
    }

    /// `entry` with one more sighting, at a file named `path` and seen at `at`, and the next version.
    public static InventoryEntry seenAt(InventoryEntry entry, String path, Instant at) {
        List<Sighting> sightings = new java.util.ArrayList<>(entry.sightings());
        sightings.add(new Sighting(new Place.File(path), at, at, Optional.empty()));
        return new InventoryEntry(entry.facts(), entry.certificate(), entry.chain(), entry.issuedByUs(),
                entry.revokedAt(), sightings, entry.ownership(), entry.firstSeen(),
                at.isAfter(entry.lastSeen()) ? at : entry.lastSeen(), entry.version() + 1);
    }
}
