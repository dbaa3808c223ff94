package io.certwright.acme.ari;

import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeJson;
import io.certwright.acme.AcmeProblemType;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.core.SerialNumber;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/// The RFC 9773 section 4.1 certificate identifier: the base64url of the `keyIdentifier` of the
/// certificate's authority key identifier, a `.`, and the base64url of the DER serial number's content
/// octets (without tag and length, so with the leading zero octet a positive serial with its top bit set
/// carries).
///
/// @param issuerKeyId the authority key identifier
/// @param serial the serial number
public record CertificateId(KeyIdentifier issuerKeyId, SerialNumber serial) {

    /// Checks the components.
    public CertificateId {
        Objects.requireNonNull(issuerKeyId, "issuerKeyId");
        Objects.requireNonNull(serial, "serial");
    }

    /// The identifier of `certificate`; empty when it has no authority key identifier.
    public static Optional<CertificateId> of(X509Certificate certificate) {
        return KeyIdentifier.authorityKeyOf(certificate)
                .map(k -> new CertificateId(k, new SerialNumber(certificate.getSerialNumber())));
    }

    /// Parses the text form.
    ///
    /// @throws AcmeException `malformed` when it is not two base64url parts naming a key identifier and a
    ///     positive serial in minimal DER form
    public static CertificateId parse(String text) throws AcmeException {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot != text.lastIndexOf('.') || dot == text.length() - 1 || text.length() > 200) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "a certificate identifier is "
                    + "base64url(authority key identifier) '.' base64url(serial)");
        }
        byte[] aki = AcmeJson.base64Url(text.substring(0, dot), "the certificate identifier's key identifier");
        byte[] serial = AcmeJson.base64Url(text.substring(dot + 1), "the certificate identifier's serial");
        if (aki.length == 0 || aki.length > KeyIdentifier.MAX_OCTETS || serial.length == 0 || serial.length > 20) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the certificate identifier has an empty or "
                    + "over-long part");
        }
        BigInteger value = new BigInteger(serial);
        // DER is minimal: no redundant leading octet, and serials are positive.
        boolean minimal = serial.length == 1
                || (!(serial[0] == 0 && serial[1] >= 0) && !(serial[0] == (byte) 0xFF && serial[1] < 0));
        if (value.signum() <= 0 || !minimal) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the certificate identifier's serial is not a "
                    + "positive DER integer");
        }
        return new CertificateId(KeyIdentifier.of(aki), new SerialNumber(value));
    }

    /// The text form.
    @Override
    public String toString() {
        return AcmeJson.base64Url(issuerKeyId.octets()) + "." + AcmeJson.base64Url(serial.value().toByteArray());
    }
}
