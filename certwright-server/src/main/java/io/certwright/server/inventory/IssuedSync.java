package io.certwright.server.inventory;

import io.certwright.ca.Pem;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.RegistryException;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.IngestResult;
import io.certwright.inventory.Inventory;
import io.certwright.inventory.InventoryEntry;
import io.certwright.store.JdbcCertificateStore;
import io.certwright.store.JdbcCertificateStore.LedgerRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Follows the CA's ledger into the inventory, off the issuance path: every run reads the certificates
/// recorded since its position (in recording order, in pages) and records each signed one with
/// [Inventory#recordIssued], then marks the certificates revoked since its last run.
///
/// A certificate is recorded pending and signed moments later, so the run stops at a pending row and takes
/// it up again next time; a row pending for longer than [#PENDING_GIVE_UP] was never signed (the signer failed)
/// and is passed over. Revocations are read again for [#REVOCATION_OVERLAP] before the last one seen, because
/// a revocation is stamped before it commits; marking a revoked certificate again changes nothing.
///
/// The position lives in memory: after a restart the first run walks the whole ledger, writing only the
/// certificates the inventory does not know yet (or whose revocation it missed).
final class IssuedSync {

    private static final Logger LOG = LoggerFactory.getLogger(IssuedSync.class);
    /// Rows read per query.
    static final int PAGE = 500;
    /// How long a pending row holds the position back before it counts as never signed.
    static final Duration PENDING_GIVE_UP = Duration.ofMinutes(5);
    /// How far back each run reads revocations again.
    static final Duration REVOCATION_OVERLAP = Duration.ofMinutes(1);

    private final JdbcCertificateStore ledger;
    private final Inventory inventory;
    private final Supplier<List<X509Certificate>> issuingChain;
    private final Clock clock;
    private long position;
    private Instant revokedSince = Instant.EPOCH;
    private long revokedAfterId;

    IssuedSync(JdbcCertificateStore ledger, Inventory inventory, Supplier<List<X509Certificate>> issuingChain,
            Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.issuingChain = Objects.requireNonNull(issuingChain, "issuingChain");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /// What one run wrote.
    ///
    /// @param recorded certificates recorded as issued (new to the inventory, or missing their flag)
    /// @param revoked certificates marked revoked
    record Summary(int recorded, int revoked) {
    }

    /// Copies what is new in the ledger into the inventory.
    synchronized Summary run() throws RegistryException {
        Instant now = clock.instant();
        int recorded = 0;
        int revoked = 0;
        boolean more = true;
        while (more) {
            List<LedgerRow> rows = ledger.rowsAfter(position, PAGE);
            more = rows.size() == PAGE;
            for (LedgerRow row : rows) {
                if (row.status() == CertificateStatus.PENDING) {
                    if (row.recordedAt().plus(PENDING_GIVE_UP).isAfter(now)) {
                        more = false;
                        break;
                    }
                    position = row.id();
                    continue;
                }
                Outcome o = record(row);
                recorded += o.recorded ? 1 : 0;
                revoked += o.revoked ? 1 : 0;
                position = row.id();
            }
        }
        Instant from = revokedSince.minus(REVOCATION_OVERLAP).isBefore(Instant.EPOCH) ? Instant.EPOCH
                : revokedSince.minus(REVOCATION_OVERLAP);
        long afterId = from.equals(revokedSince) ? revokedAfterId : 0;
        more = true;
        while (more) {
            List<LedgerRow> rows = ledger.revokedSince(from, afterId, PAGE);
            more = rows.size() == PAGE;
            for (LedgerRow row : rows) {
                if (row.id() <= position) {
                    revoked += revoke(row) ? 1 : 0;
                }
                from = row.revokedAt().orElse(from);
                afterId = row.id();
            }
            if (!rows.isEmpty()) {
                revokedSince = from;
                revokedAfterId = afterId;
            }
        }
        return new Summary(recorded, revoked);
    }

    private record Outcome(boolean recorded, boolean revoked) {
    }

    private Outcome record(LedgerRow row) {
        Optional<X509Certificate> cert = certificate(row);
        if (cert.isEmpty()) {
            return new Outcome(false, false);
        }
        if (row.revokedAt().isEmpty()) {
            // The common case, a certificate just signed: recorded unless held as ours already, in one read.
            Optional<IngestResult> r = inventory.recordIssuedUnlessHeld(cert.get(), chainFor(cert.get()));
            if (r.isPresent() && r.get() instanceof IngestResult.Rejected(String reason)) {
                LOG.warn("certificate {} not recorded in the inventory: {}", row.serial().hex(), reason);
                return new Outcome(false, false);
            }
            return new Outcome(r.isPresent(), false);
        }
        Fingerprint fp = EncodedCertificate.of(cert.get()).fingerprint();
        Optional<InventoryEntry> known = inventory.find(fp);
        boolean recorded = false;
        if (known.isEmpty() || !known.get().issuedByUs()) {
            IngestResult r = inventory.recordIssued(cert.get(), chainFor(cert.get()));
            if (r instanceof IngestResult.Rejected(String reason)) {
                LOG.warn("certificate {} not recorded in the inventory: {}", row.serial().hex(), reason);
                return new Outcome(false, false);
            }
            recorded = true;
        }
        boolean revoked = row.revokedAt().isPresent() && (known.isEmpty() || !known.get().revoked())
                && inventory.markRevoked(fp, row.revokedAt().get());
        return new Outcome(recorded, revoked);
    }

    private boolean revoke(LedgerRow row) {
        Optional<X509Certificate> cert = certificate(row);
        if (cert.isEmpty() || row.revokedAt().isEmpty()) {
            return false;
        }
        Fingerprint fp = EncodedCertificate.of(cert.get()).fingerprint();
        Optional<InventoryEntry> known = inventory.find(fp);
        return known.isPresent() && !known.get().revoked() && inventory.markRevoked(fp, row.revokedAt().get());
    }

    private static Optional<X509Certificate> certificate(LedgerRow row) {
        if (row.pem().isEmpty()) {
            return Optional.empty();
        }
        try {
            List<X509Certificate> certs = Pem.readCertificates(row.pem().get().getBytes(StandardCharsets.US_ASCII),
                    "ledger row " + row.id());
            return certs.isEmpty() ? Optional.empty() : Optional.of(certs.getFirst());
        } catch (IOException | RuntimeException e) {
            LOG.warn("certificate {} in the ledger does not parse; left out of the inventory", row.serial().hex());
            return Optional.empty();
        }
    }

    // The CA's current issuing chain when it issued this certificate; after a rotation older certificates get
    // no chain, which the inventory accepts.
    private List<X509Certificate> chainFor(X509Certificate cert) {
        List<X509Certificate> chain = issuingChain.get();
        if (!chain.isEmpty() && chain.getFirst().getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
            return chain;
        }
        return List.of();
    }
}
