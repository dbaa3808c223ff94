package io.certwright.inventory;

import io.certwright.inventory.discovery.Finding;
import io.certwright.inventory.discovery.HostnameMatch;
import io.certwright.inventory.discovery.ScanReport;
import io.certwright.inventory.discovery.TlsDetails;
import java.security.cert.X509Certificate;
import java.util.List;

/// Turns what discovery found into inventory sightings: the place a [Finding] names becomes an inventory
/// [Place], the handshake's details become [TlsFacts], and the chain is recorded with [Inventory#recordSeen].
///
/// A PEM bundle holds several chains in one file; each chain after the first is recorded at `path#n` (n its
/// position among the file's certificates), so the roots of a CA bundle stay separate places and none looks
/// replaced by another.
public final class Findings {

    private Findings() {
    }

    /// What recording a scan report did.
    ///
    /// @param added certificates the inventory did not know
    /// @param updated certificates it knew, seen again or somewhere new
    /// @param rejected findings it could not use (each also a reason in [#reasons])
    /// @param reasons one line per rejected finding: its place and why
    public record Recorded(int added, int updated, int rejected, List<String> reasons) {
        public Recorded {
            reasons = List.copyOf(reasons);
        }
    }

    /// Records every finding of `report` in `inventory`; errors of the report are not the inventory's business.
    public static Recorded record(Inventory inventory, ScanReport report) {
        int added = 0;
        int updated = 0;
        List<String> reasons = new java.util.ArrayList<>();
        for (Finding f : report.findings()) {
            switch (record(inventory, f)) {
                case IngestResult.Added a -> added++;
                case IngestResult.Updated u -> updated++;
                case IngestResult.Rejected r -> reasons.add(f.place().describe() + ": " + r.reason());
            }
        }
        return new Recorded(added, updated, reasons.size(), reasons);
    }

    /// Records one finding.
    public static IngestResult record(Inventory inventory, Finding finding) {
        return inventory.recordSeen(finding.chain(), place(finding.place()), finding.seenAt(),
                finding.tls().map(t -> facts(t, finding.chain())));
    }

    /// The inventory place of a discovery place.
    public static Place place(io.certwright.inventory.discovery.Place place) {
        return switch (place) {
            case io.certwright.inventory.discovery.Place.Endpoint e -> new Place.Endpoint(e.host(), e.port(),
                    e.serverName());
            case io.certwright.inventory.discovery.Place.File f -> new Place.File(f.index() <= 1
                    ? f.path().toString() : f.path() + "#" + f.index());
            case io.certwright.inventory.discovery.Place.KeystoreEntry k -> new Place.KeystoreEntry(
                    k.path().toString(), k.alias());
        };
    }

    /// What the inventory keeps of a handshake: whether the name matched (a target without a name to check
    /// counts as matching), whether the chain is trusted by Certwright's roots or the JDK's, and whether it is
    /// complete (trusted, or ending in a self-issued certificate).
    public static TlsFacts facts(TlsDetails details, List<X509Certificate> chain) {
        boolean trusted = details.extraRoots().trusted() || details.jdkTrustStore().trusted();
        boolean complete = trusted || (!chain.isEmpty() && chain.getLast().getSubjectX500Principal()
                .equals(chain.getLast().getIssuerX500Principal()));
        return new TlsFacts(details.hostname() != HostnameMatch.MISMATCH, trusted, complete);
    }
}
