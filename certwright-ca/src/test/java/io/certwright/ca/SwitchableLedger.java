package io.certwright.ca;

import io.certwright.core.SerialNumber;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/// A [CertificateLedger] over an [InMemoryLedger] whose `recordPending` fails while [#failPending] is set,
/// as a full disk or a lost database connection would make it.
final class SwitchableLedger implements CertificateLedger {

    private final InMemoryLedger delegate = new InMemoryLedger();
    final AtomicBoolean failPending = new AtomicBoolean();

    @Override
    public void recordPending(PendingCertificate pending) throws LedgerException {
        if (failPending.get()) {
            throw new LedgerException("ledger storage unavailable");
        }
        delegate.recordPending(pending);
    }

    @Override
    public void recordSigned(SerialNumber serial, X509Certificate certificate) throws LedgerException {
        delegate.recordSigned(serial, certificate);
    }

    @Override
    public Optional<LedgerEntry> find(SerialNumber serial) {
        return delegate.find(serial);
    }

    @Override
    public List<LedgerEntry> entries() {
        return delegate.entries();
    }
}
