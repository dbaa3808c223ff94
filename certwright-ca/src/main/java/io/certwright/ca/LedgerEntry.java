package io.certwright.ca;

import java.util.Optional;

/// One ledger record: the certificate as recorded before signing, and its PEM once signed.
///
/// @param pending what was recorded before signing
/// @param certificatePem the signed certificate, empty if signing never completed
public record LedgerEntry(PendingCertificate pending, Optional<String> certificatePem) {

    public boolean signed() {
        return certificatePem.isPresent();
    }
}
