package io.certwright.acme;

import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.core.SerialNumber;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// A signed certificate as the ACME server needs to know it: to serve it, revoke it and answer renewal
/// information about it.
///
/// @param certificate the certificate
/// @param revoked whether it is revoked
/// @param requester the audit actor that asked for it (for ACME orders `acme:<provisioner>:<account id>`)
/// @param provisioner the provisioner it was issued through
public record AcmeCertificate(X509Certificate certificate, boolean revoked, String requester, String provisioner) {

    /// Checks the components.
    public AcmeCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(provisioner, "provisioner");
    }

    /// Its serial number.
    public SerialNumber serial() {
        return new SerialNumber(certificate.getSerialNumber());
    }

    /// Start of validity.
    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    /// End of validity.
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /// The identifier of the key that signed it (its authority key identifier), if it names one.
    public Optional<KeyIdentifier> issuerKeyId() {
        return KeyIdentifier.authorityKeyOf(certificate);
    }

    /// Its DER encoding.
    public byte[] der() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate re-encodes", e);
        }
    }
}
