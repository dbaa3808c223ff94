package io.certwright.inventory.report;

import io.certwright.inventory.CertificateFacts;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.Ownership;
import io.certwright.inventory.Place;
import io.certwright.inventory.Sighting;
import io.certwright.inventory.TlsFacts;
import io.certwright.inventory.status.CertificateState;
import io.certwright.inventory.status.CertificateStatus;
import io.certwright.inventory.status.InventoryStatuses;
import io.certwright.core.Durations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/// Builds the [ComplianceReport] from certificate statuses.
///
/// Certificates that are revoked or replaced are settled and appear in no finding; key reuse and blast radius
/// count only certificates that are neither settled nor expired.
public final class ComplianceReporter {

    private final ReportPolicy policy;

    /// A reporter applying `policy`.
    public ComplianceReporter(ReportPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /// The report for a status snapshot.
    public ComplianceReport build(InventoryStatuses.Snapshot snapshot) {
        List<ComplianceReport.Finding> findings = new ArrayList<>();
        Map<Fingerprint, List<InventoryEntry>> byKey = new TreeMap<>();
        Map<String, List<InventoryEntry>> byIssuerKey = new TreeMap<>();
        for (CertificateState s : snapshot.states()) {
            if (s.status().settled()) {
                continue;
            }
            InventoryEntry e = s.entry();
            findingsFor(s, findings);
            if (s.status() != CertificateStatus.EXPIRED) {
                byKey.computeIfAbsent(e.facts().publicKeyFingerprint(), k -> new ArrayList<>()).add(e);
                String issuerKey = e.facts().authorityKeyId().orElse("issuer:" + e.facts().issuer());
                byIssuerKey.computeIfAbsent(issuerKey, k -> new ArrayList<>()).add(e);
            }
        }
        findings.sort(Comparator.comparing(ComplianceReport.Finding::type)
                .thenComparing(ComplianceReport.Finding::notAfter)
                .thenComparing(ComplianceReport.Finding::fingerprint));
        List<ComplianceReport.KeyReuse> reuse = new ArrayList<>();
        byKey.forEach((key, entries) -> {
            if (entries.size() > 1) {
                reuse.add(new ComplianceReport.KeyReuse(key, entries.stream().map(InventoryEntry::fingerprint).toList(),
                        entries.stream().map(x -> x.facts().commonNameOrSubject()).toList(),
                        collect(entries, ComplianceReporter::services), owners(entries)));
            }
        });
        List<ComplianceReport.BlastRadius> radius = new ArrayList<>();
        byIssuerKey.forEach((key, entries) -> radius.add(new ComplianceReport.BlastRadius(key,
                entries.getFirst().facts().issuer(), entries.size(), collect(entries, ComplianceReporter::services),
                collect(entries, x -> x.sightings().stream().map(sg -> sg.place().display()).toList()),
                owners(entries))));
        radius.sort(Comparator.comparingInt(ComplianceReport.BlastRadius::certificates).reversed()
                .thenComparing(ComplianceReport.BlastRadius::issuerKeyId));
        return new ComplianceReport(snapshot.at(), policy, snapshot.states().size(), snapshot.counts(), findings,
                reuse, radius);
    }

    private void findingsFor(CertificateState s, List<ComplianceReport.Finding> out) {
        InventoryEntry e = s.entry();
        CertificateFacts f = e.facts();
        List<String> all = e.sightings().stream().map(x -> x.place().display()).toList();
        if (s.status() == CertificateStatus.EXPIRED) {
            out.add(finding(FindingType.EXPIRED, e, all, "expired " + f.notAfter()));
        } else if (s.crossedThreshold().isPresent()) {
            out.add(finding(FindingType.EXPIRING, e, all, "expires " + f.notAfter() + ", within "
                    + Durations.format(s.crossedThreshold().get())));
        }
        String family = f.keyType().toUpperCase(Locale.ROOT);
        if ((family.equals("RSA") && f.keySize() < policy.minRsaBits())
                || ((family.equals("EC") || family.equals("ECDSA")) && f.keySize() < policy.minEcBits())) {
            out.add(finding(FindingType.WEAK_KEY, e, all, f.keyType() + " " + f.keySize()));
        }
        if (f.weakSignatureDigest()) {
            out.add(finding(FindingType.SHA1_SIGNATURE, e, all, f.signatureAlgorithm()));
        }
        if (!f.ca() && f.lifetime().compareTo(policy.maxLifetime()) > 0) {
            out.add(finding(FindingType.LIFETIME_TOO_LONG, e, all, Durations.format(f.lifetime()) + " > "
                    + Durations.format(policy.maxLifetime())));
        }
        if (f.hasWildcard()) {
            out.add(finding(FindingType.WILDCARD, e, all, String.join(", ",
                    f.dnsNames().stream().filter(n -> n.startsWith("*")).toList())));
        }
        List<String> endpoints = endpoints(e, t -> true);
        if (f.selfSigned() && !f.ca() && !endpoints.isEmpty()) {
            out.add(finding(FindingType.SELF_SIGNED_IN_USE, e, endpoints, f.subject()));
        }
        List<String> untrusted = endpoints(e, t -> !t.chainTrusted());
        if (!untrusted.isEmpty()) {
            out.add(finding(FindingType.UNTRUSTED_CHAIN, e, untrusted, "chain does not validate"));
        }
        List<String> incomplete = endpoints(e, t -> !t.chainComplete());
        if (!incomplete.isEmpty()) {
            out.add(finding(FindingType.INCOMPLETE_CHAIN, e, incomplete, "intermediates missing"));
        }
        List<String> mismatch = endpoints(e, t -> !t.hostnameMatches());
        if (!mismatch.isEmpty()) {
            out.add(finding(FindingType.HOSTNAME_MISMATCH, e, mismatch, "names: " + String.join(", ", f.names())));
        }
    }

    private static List<String> endpoints(InventoryEntry e, Predicate<TlsFacts> problem) {
        List<String> out = new ArrayList<>();
        for (Sighting s : e.sightings()) {
            if (s.place() instanceof Place.Endpoint && s.tls().map(problem::test).orElse(false)) {
                out.add(s.place().display());
            }
        }
        return out;
    }

    private static ComplianceReport.Finding finding(FindingType type, InventoryEntry e, List<String> places,
            String detail) {
        return new ComplianceReport.Finding(type, e.fingerprint(), e.facts().commonNameOrSubject(),
                e.ownership().owner(), e.facts().notAfter(), places, detail);
    }

    /// The services a certificate serves: its `service` label, else the places it was seen, else its name.
    static List<String> services(InventoryEntry e) {
        Optional<String> label = e.ownership().label(Ownership.SERVICE);
        if (label.isPresent()) {
            return List.of(label.get());
        }
        if (!e.sightings().isEmpty()) {
            return e.sightings().stream().map(s -> s.place().display()).toList();
        }
        return List.of(e.facts().commonNameOrSubject());
    }

    private static List<String> collect(List<InventoryEntry> entries,
            java.util.function.Function<InventoryEntry, List<String>> values) {
        TreeSet<String> out = new TreeSet<>();
        entries.forEach(e -> out.addAll(values.apply(e)));
        return List.copyOf(out);
    }

    private static List<String> owners(List<InventoryEntry> entries) {
        return collect(entries, e -> e.ownership().owner().map(List::of).orElse(List.of()));
    }
}
