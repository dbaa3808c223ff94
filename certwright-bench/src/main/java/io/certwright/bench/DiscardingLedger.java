package io.certwright.bench;

import io.certwright.ca.CertificateLedger;
import io.certwright.ca.LedgerEntry;
import io.certwright.ca.PendingCertificate;
import io.certwright.core.SerialNumber;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/// A [CertificateLedger] that records nothing, so the issuance benchmark measures the authority's own
/// work (CSR parsing, proof-of-possession check, policy, build, lint, signature, encoding) and not storage.
/// Ledger stores are benchmarked on their own; a real CA must never use this class.
final class DiscardingLedger implements CertificateLedger {

    @Override
    public void recordPending(PendingCertificate pending) {
        // nothing is kept
    }

    @Override
    public void recordSigned(SerialNumber serial, X509Certificate certificate) {
        // nothing is kept
    }

    @Override
    public Optional<LedgerEntry> find(SerialNumber serial) {
        return Optional.empty();
    }

    @Override
    public List<LedgerEntry> entries() {
        return List.of();
    }
}
