package io.certwright.ca;

import io.certwright.core.SerialNumber;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/// Port: the record of every certificate the CA signs, written *before* the signature exists
/// (as Let's Encrypt's Boulder does), so that every signed certificate is known and revocable even
/// if the process dies between signing and storing.
///
/// [#recordPending] must be durable when it returns; the CA signs only afterwards. Implementations must
/// refuse a serial recorded before, and be safe for concurrent use.
public interface CertificateLedger {

    /// Records a certificate about to be signed.
    ///
    /// @throws LedgerException if it cannot be recorded durably, or the serial was recorded before
    void recordPending(PendingCertificate pending) throws LedgerException;

    /// Records the signed certificate for a serial recorded pending.
    void recordSigned(SerialNumber serial, X509Certificate certificate) throws LedgerException;

    Optional<LedgerEntry> find(SerialNumber serial);

    /// Every entry, in the order recorded.
    List<LedgerEntry> entries();
}
