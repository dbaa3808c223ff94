package io.certwright.ca;

import io.certwright.ca.internal.x509.PemCodec;
import io.certwright.core.SerialNumber;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A [CertificateLedger] in memory, for tests, benchmarks and throwaway CAs such as the demo's.
public final class InMemoryLedger implements CertificateLedger {

    private final Map<SerialNumber, LedgerEntry> entries = new LinkedHashMap<>();

    @Override
    public synchronized void recordPending(PendingCertificate pending) throws LedgerException {
        if (entries.putIfAbsent(pending.serial(), new LedgerEntry(pending, Optional.empty())) != null) {
            throw new LedgerException("serial " + pending.serial() + " was recorded before");
        }
    }

    @Override
    public synchronized void recordSigned(SerialNumber serial, X509Certificate certificate) throws LedgerException {
        LedgerEntry e = entries.get(serial);
        if (e == null) {
            throw new LedgerException("serial " + serial + " was never recorded as pending");
        }
        entries.put(serial, new LedgerEntry(e.pending(), Optional.of(pem(certificate))));
    }

    static String pem(X509Certificate certificate) throws LedgerException {
        try {
            return PemCodec.encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new LedgerException("cannot encode certificate", e);
        }
    }

    @Override
    public synchronized Optional<LedgerEntry> find(SerialNumber serial) {
        return Optional.ofNullable(entries.get(serial));
    }

    @Override
    public synchronized List<LedgerEntry> entries() {
        return new ArrayList<>(entries.values());
    }
}
