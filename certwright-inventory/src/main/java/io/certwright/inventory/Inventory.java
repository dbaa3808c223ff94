package io.certwright.inventory;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/// The inventory: takes in certificates Certwright issues and certificates discovery finds, deduplicates them
/// by SHA-256 fingerprint, records where each was seen, and assigns owners by rules.
///
/// Every method takes bad input without throwing: an unparsable or oversized chain is a
/// [IngestResult.Rejected] with a reason, and nothing is stored for it.
///
/// ```java
/// Inventory inventory = new Inventory(new InMemoryInventoryStore(), rules, clock);
/// inventory.recordIssued(issued.certificate(), issued.chain());
/// inventory.recordSeen(presentedChain, Place.Endpoint.of("api.example.com", 443), scannedAt,
///         Optional.of(new TlsFacts(true, true, true)));
/// ```
public final class Inventory {

    /// Most certificates accepted in one chain (leaf included).
    public static final int MAX_CHAIN_LENGTH = 16;
    /// Largest DER certificate accepted, in bytes.
    public static final int MAX_CERTIFICATE_BYTES = 64 * 1024;
    private static final int MAX_WRITE_ATTEMPTS = 32;

    private final InventoryStore store;
    private final AtomicReference<OwnershipRules> rules;
    private final Clock clock;

    /// An inventory over `store`, assigning owners by `rules`, reading time from `clock`.
    public Inventory(InventoryStore store, OwnershipRules rules, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.rules = new AtomicReference<>(Objects.requireNonNull(rules, "rules"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /// Records a certificate Certwright issued, with the chain it was issued with (leaf excluded).
    public IngestResult recordIssued(X509Certificate certificate, List<X509Certificate> chain) {
        return recordIssued(certificate, chain, entry -> false).orElseThrow();
    }

    /// Records a certificate Certwright issued, as [#recordIssued(X509Certificate, List)], unless the inventory
    /// holds it as issued by Certwright already: then nothing is written and the answer is empty. One read
    /// fewer than looking the certificate up first.
    public Optional<IngestResult> recordIssuedUnlessHeld(X509Certificate certificate, List<X509Certificate> chain) {
        return recordIssued(certificate, chain, InventoryEntry::issuedByUs);
    }

    private Optional<IngestResult> recordIssued(X509Certificate certificate, List<X509Certificate> chain,
            Predicate<InventoryEntry> held) {
        Instant now = clock.instant();
        return ingest(certificate, chain, true, entry -> entry.next(
                chain.isEmpty() ? entry.chain() : encode(chain), true, entry.revokedAt(), entry.sightings(),
                entry.ownership(), later(entry.lastSeen(), now)), Optional.empty(), now, held);
    }

    /// Records a certificate chain seen at a place: `chain` starts with the leaf, as presented.
    ///
    /// @param seenAt when it was seen (the scan's time, which may lie before now)
    /// @param tls what a TLS scan learned about the endpoint; empty for files and keystores
    public IngestResult recordSeen(List<X509Certificate> chain, Place place, Instant seenAt, Optional<TlsFacts> tls) {
        if (chain.isEmpty()) {
            return new IngestResult.Rejected("empty certificate chain");
        }
        if (chain.size() > MAX_CHAIN_LENGTH) {
            return new IngestResult.Rejected("chain of " + chain.size() + " certificates is longer than "
                    + MAX_CHAIN_LENGTH);
        }
        List<X509Certificate> rest = chain.subList(1, chain.size());
        return ingestAlways(chain.getFirst(), rest, false, entry -> {
            List<Sighting> sightings = entry.sightingsWith(place, seenAt, tls);
            List<Place> places = sightings.stream().map(Sighting::place).toList();
            Ownership ownership = rules.get().apply(entry.ownership(), entry.facts(), places);
            return entry.next(rest.isEmpty() ? entry.chain() : encode(rest), entry.issuedByUs(), entry.revokedAt(),
                    sightings, ownership, later(entry.lastSeen(), seenAt));
        }, Optional.of(new Sighting(place, seenAt, seenAt, tls)), seenAt);
    }

    /// Records a chain of DER certificates seen at a place, as [#recordSeen(List, Place, Instant, Optional)].
    public IngestResult recordSeenDer(List<byte[]> derChain, Place place, Instant seenAt, Optional<TlsFacts> tls) {
        if (derChain.isEmpty()) {
            return new IngestResult.Rejected("empty certificate chain");
        }
        if (derChain.size() > MAX_CHAIN_LENGTH) {
            return new IngestResult.Rejected("chain of " + derChain.size() + " certificates is longer than "
                    + MAX_CHAIN_LENGTH);
        }
        List<X509Certificate> parsed = new ArrayList<>(derChain.size());
        for (int i = 0; i < derChain.size(); i++) {
            byte[] der = derChain.get(i);
            if (der.length > MAX_CERTIFICATE_BYTES) {
                return new IngestResult.Rejected("certificate " + i + " is larger than " + MAX_CERTIFICATE_BYTES
                        + " bytes");
            }
            Optional<X509Certificate> c = parse(der);
            if (c.isEmpty()) {
                return new IngestResult.Rejected("certificate " + i + " is not a DER X.509 certificate");
            }
            parsed.add(c.get());
        }
        return recordSeen(parsed, place, seenAt, tls);
    }

    /// Marks a certificate revoked at `at`. Returns false when the inventory does not know it.
    public boolean markRevoked(Fingerprint fingerprint, Instant at) {
        return update(fingerprint, e -> e.revoked() ? e : e.next(e.chain(), e.issuedByUs(), Optional.of(at),
                e.sightings(), e.ownership(), e.lastSeen()));
    }

    /// Sets a certificate's owner and labels by hand; rules never overwrite this. Returns false when the
    /// inventory does not know the certificate.
    public boolean assignOwner(Fingerprint fingerprint, String owner, Map<String, String> labels) {
        Ownership manual = Ownership.manual(owner, labels);
        return update(fingerprint, e -> e.next(e.chain(), e.issuedByUs(), e.revokedAt(), e.sightings(), manual,
                e.lastSeen()));
    }

    /// Removes a hand-set owner, so rules decide again. Returns false when the inventory does not know it.
    public boolean clearManualOwner(Fingerprint fingerprint) {
        return update(fingerprint, e -> e.next(e.chain(), e.issuedByUs(), e.revokedAt(), e.sightings(),
                rules.get().resolve(e.facts(), e.places()), e.lastSeen()));
    }

    /// Replaces the ownership rules and applies them to every certificate without a hand-set owner.
    ///
    /// @return how many certificates changed owner or labels
    public int replaceRules(OwnershipRules newRules) {
        rules.set(Objects.requireNonNull(newRules, "newRules"));
        List<Fingerprint> changed = new ArrayList<>();
        store.forEach(e -> {
            if (!newRules.apply(e.ownership(), e.facts(), e.places()).equals(e.ownership())) {
                changed.add(e.fingerprint());
            }
        });
        int count = 0;
        for (Fingerprint fp : changed) {
            if (update(fp, e -> e.next(e.chain(), e.issuedByUs(), e.revokedAt(), e.sightings(),
                    rules.get().apply(e.ownership(), e.facts(), e.places()), e.lastSeen()))) {
                count++;
            }
        }
        return count;
    }

    /// The entry of one certificate.
    public Optional<InventoryEntry> find(Fingerprint fingerprint) {
        return store.find(fingerprint);
    }

    /// Calls `action` for every entry.
    public void forEach(Consumer<InventoryEntry> action) {
        store.forEach(action);
    }

    /// All entries in a list; for small inventories, reports and tests.
    public List<InventoryEntry> entries() {
        List<InventoryEntry> all = new ArrayList<>();
        store.forEach(all::add);
        return all;
    }

    private IngestResult ingestAlways(X509Certificate leaf, List<X509Certificate> chain, boolean issuedByUs,
            UnaryOperator<InventoryEntry> merge, Optional<Sighting> sighting, Instant at) {
        return ingest(leaf, chain, issuedByUs, merge, sighting, at, entry -> false).orElseThrow();
    }

    /// Inserts the certificate, or merges it into the entry held for it; nothing (an empty answer) when the
    /// entry held for it is `held`.
    private Optional<IngestResult> ingest(X509Certificate leaf, List<X509Certificate> chain, boolean issuedByUs,
            UnaryOperator<InventoryEntry> merge, Optional<Sighting> sighting, Instant at,
            Predicate<InventoryEntry> held) {
        CertificateFacts facts;
        EncodedCertificate encoded;
        List<EncodedCertificate> encodedChain;
        try {
            facts = CertificateFacts.of(leaf);
            encoded = EncodedCertificate.of(leaf);
            encodedChain = encode(chain);
        } catch (RuntimeException e) {
            return Optional.of(new IngestResult.Rejected("unreadable certificate: " + e.getClass().getSimpleName()));
        }
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            Optional<InventoryEntry> current = store.find(facts.fingerprint());
            if (current.isEmpty()) {
                List<Sighting> sightings = sighting.map(List::of).orElse(List.of());
                Ownership ownership = rules.get().resolve(facts, sightings.stream().map(Sighting::place).toList());
                InventoryEntry entry = new InventoryEntry(facts, encoded, encodedChain, issuedByUs, Optional.empty(),
                        sightings, ownership, at, at, 1);
                if (store.insert(entry)) {
                    return Optional.of(new IngestResult.Added(facts.fingerprint()));
                }
            } else if (held.test(current.get())) {
                return Optional.empty();
            } else if (store.replace(merge.apply(current.get()))) {
                return Optional.of(new IngestResult.Updated(facts.fingerprint()));
            }
        }
        return Optional.of(new IngestResult.Rejected("too many concurrent updates of "
                + facts.fingerprint().shortHex()));
    }

    private boolean update(Fingerprint fingerprint, UnaryOperator<InventoryEntry> change) {
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            Optional<InventoryEntry> current = store.find(fingerprint);
            if (current.isEmpty()) {
                return false;
            }
            InventoryEntry next = change.apply(current.get());
            if (next.equals(current.get()) || store.replace(next)) {
                return true;
            }
        }
        throw new IllegalStateException("too many concurrent updates of " + fingerprint.shortHex());
    }

    private static List<EncodedCertificate> encode(List<X509Certificate> chain) {
        return chain.stream().map(EncodedCertificate::of).toList();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Optional<X509Certificate> parse(byte[] der) {
        try {
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
