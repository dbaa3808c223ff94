package io.certwright.acme;

import io.certwright.ca.Pem;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.core.SerialNumber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// A signed certificate as the ACME server needs to know it: to serve it, revoke it and answer renewal
/// information about it.
///
/// A certificate read from storage keeps the PEM text it was stored as and is parsed only when a caller
/// needs more than that text: serving a certificate to the account that ordered it, the common case, sends
/// the stored text as it is and parses nothing. A stored certificate that turns out not to parse fails the
/// call that needs its contents with [AcmeIssuerException.Kind#UNAVAILABLE].
public final class AcmeCertificate {

    private final SerialNumber serial;
    private final String pem;
    private final boolean revoked;
    private final String requester;
    private final String provisioner;
    private volatile @Nullable X509Certificate parsed;

    private AcmeCertificate(SerialNumber serial, String pem, boolean revoked, String requester,
            String provisioner) {
        this.serial = Objects.requireNonNull(serial, "serial");
        this.pem = Objects.requireNonNull(pem, "pem");
        this.revoked = revoked;
        this.requester = Objects.requireNonNull(requester, "requester");
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
    }

    /// A certificate as stored, parsed on first use.
    ///
    /// @param serial its serial number, as stored with it
    /// @param pem the certificate as one PEM `CERTIFICATE` block, written by [Pem#certificate]
    /// @param revoked whether it is revoked
    /// @param requester the audit actor that asked for it (for ACME orders `acme:<provisioner>:<account id>`)
    /// @param provisioner the provisioner it was issued through
    public static AcmeCertificate stored(SerialNumber serial, String pem, boolean revoked, String requester,
            String provisioner) {
        return new AcmeCertificate(serial, pem, revoked, requester, provisioner);
    }

    /// Its serial number.
    public SerialNumber serial() {
        return serial;
    }

    /// Whether it is revoked.
    public boolean revoked() {
        return revoked;
    }

    /// The audit actor that asked for it (for ACME orders `acme:<provisioner>:<account id>`).
    public String requester() {
        return requester;
    }

    /// The provisioner it was issued through.
    public String provisioner() {
        return provisioner;
    }

    /// The certificate as one PEM `CERTIFICATE` block: what the download of its chain starts with.
    public String pem() {
        return pem;
    }

    /// The parsed certificate.
    ///
    /// @throws AcmeIssuerException of kind [AcmeIssuerException.Kind#UNAVAILABLE] when the stored certificate
    ///     does not parse
    public X509Certificate certificate() throws AcmeIssuerException {
        X509Certificate c = parsed;
        if (c == null) {
            List<X509Certificate> read;
            try {
                read = Pem.readCertificates(pem.getBytes(StandardCharsets.US_ASCII), "certificate " + serial.hex());
            } catch (IOException | IllegalArgumentException e) {
                throw new AcmeIssuerException(AcmeIssuerException.Kind.UNAVAILABLE, "stored certificate "
                        + serial.hex() + " does not parse", e);
            }
            if (read.isEmpty()) {
                throw new AcmeIssuerException(AcmeIssuerException.Kind.UNAVAILABLE, "stored certificate "
                        + serial.hex() + " holds no certificate");
            }
            c = read.getFirst();
            parsed = c;
        }
        return c;
    }

    /// Start of validity.
    ///
    /// @throws AcmeIssuerException as [#certificate()]
    public Instant notBefore() throws AcmeIssuerException {
        return certificate().getNotBefore().toInstant();
    }

    /// End of validity.
    ///
    /// @throws AcmeIssuerException as [#certificate()]
    public Instant notAfter() throws AcmeIssuerException {
        return certificate().getNotAfter().toInstant();
    }

    /// The identifier of the key that signed it (its authority key identifier), if it names one.
    ///
    /// @throws AcmeIssuerException as [#certificate()]
    public Optional<KeyIdentifier> issuerKeyId() throws AcmeIssuerException {
        return KeyIdentifier.authorityKeyOf(certificate());
    }

    /// Its DER encoding.
    ///
    /// @throws AcmeIssuerException as [#certificate()]
    public byte[] der() throws AcmeIssuerException {
        try {
            return certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate re-encodes", e);
        }
    }

    @Override
    public String toString() {
        return "AcmeCertificate[serial=" + serial.hex() + ", revoked=" + revoked + ", requester=" + requester
                + ", provisioner=" + provisioner + "]";
    }
}
