package io.certwright.inventory;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/// The DER bytes of one certificate, immutable, with its SHA-256 fingerprint.
///
/// A final class rather than a record because it holds an array: equality is by content, and the bytes are
/// copied in and out.
public final class EncodedCertificate {

    private final byte[] der;
    private final Fingerprint fingerprint;

    private EncodedCertificate(byte[] der) {
        this.der = der;
        this.fingerprint = Fingerprint.sha256(der);
    }

    /// Wraps a copy of `der`; the bytes are not parsed here.
    public static EncodedCertificate of(byte[] der) {
        Objects.requireNonNull(der, "der");
        return new EncodedCertificate(der.clone());
    }

    /// The encoding of a parsed certificate.
    ///
    /// @throws IllegalArgumentException if the certificate cannot be encoded
    public static EncodedCertificate of(X509Certificate certificate) {
        try {
            return new EncodedCertificate(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        }
    }

    /// A copy of the DER bytes.
    public byte[] der() {
        return der.clone();
    }

    /// The number of DER bytes.
    public int length() {
        return der.length;
    }

    /// SHA-256 of the DER bytes.
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    /// The certificate as a PEM block.
    public String pem() {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedCertificate other && Arrays.equals(der, other.der);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "EncodedCertificate[" + fingerprint.shortHex() + ", " + der.length + " bytes]";
    }
}
