package io.certwright.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// One certificate in the inventory, with everything known about it.
///
/// Entries are immutable; the [Inventory] replaces them through the [InventoryStore] with a version one
/// higher, so concurrent writers (several scanners, several server replicas) never lose each other's updates.
///
/// @param facts what the certificate itself says
/// @param certificate its DER encoding
/// @param chain the certificates presented or issued with it, leaf excluded, in order (latest seen)
/// @param issuedByUs whether Certwright's CA issued it
/// @param revokedAt when it was revoked, if it was
/// @param sightings the places where it was seen, each with first and last seen
/// @param ownership owner and labels
/// @param firstSeen when the inventory first learned of it
/// @param lastSeen when the inventory last learned of it (issued or seen anywhere)
/// @param version the optimistic-concurrency version, starting at 1
public record InventoryEntry(
        CertificateFacts facts,
        EncodedCertificate certificate,
        List<EncodedCertificate> chain,
        boolean issuedByUs,
        Optional<Instant> revokedAt,
        List<Sighting> sightings,
        Ownership ownership,
        Instant firstSeen,
        Instant lastSeen,
        long version) {

    public InventoryEntry {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(certificate, "certificate");
        chain = List.copyOf(chain);
        Objects.requireNonNull(revokedAt, "revokedAt");
        sightings = List.copyOf(sightings);
        Objects.requireNonNull(ownership, "ownership");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (!facts.fingerprint().equals(certificate.fingerprint())) {
            throw new IllegalArgumentException("facts and certificate have different fingerprints");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /// The certificate's SHA-256 fingerprint.
    public Fingerprint fingerprint() {
        return facts.fingerprint();
    }

    /// The places where it was seen.
    public List<Place> places() {
        return sightings.stream().map(Sighting::place).toList();
    }

    /// Whether it was revoked.
    public boolean revoked() {
        return revokedAt.isPresent();
    }

    /// The sighting at one place, if it was seen there.
    public Optional<Sighting> sightingAt(Place place) {
        return sightings.stream().filter(s -> s.place().equals(place)).findFirst();
    }

    InventoryEntry next(List<EncodedCertificate> newChain, boolean newIssuedByUs, Optional<Instant> newRevokedAt,
            List<Sighting> newSightings, Ownership newOwnership, Instant newLastSeen) {
        return new InventoryEntry(facts, certificate, newChain, newIssuedByUs, newRevokedAt, newSightings,
                newOwnership, firstSeen, newLastSeen, version + 1);
    }

    /// The sightings with one observation at `place` added or merged.
    List<Sighting> sightingsWith(Place place, Instant at, Optional<TlsFacts> tls) {
        List<Sighting> out = new ArrayList<>(sightings.size() + 1);
        boolean merged = false;
        for (Sighting s : sightings) {
            if (s.place().equals(place)) {
                out.add(s.seenAgain(at, tls));
                merged = true;
            } else {
                out.add(s);
            }
        }
        if (!merged) {
            out.add(new Sighting(place, at, at, tls));
        }
        return out;
    }
}
