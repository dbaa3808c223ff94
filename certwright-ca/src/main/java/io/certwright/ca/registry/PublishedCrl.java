package io.certwright.ca.registry;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/// A CRL as published: which CA, its CRL number, its validity and its DER encoding.
///
/// @param caId the CA, as the publisher names it (for instance its name or key identifier)
/// @param number the CRL number, positive, at most 20 octets
///     ([RFC 5280 §5.2.3](https://www.rfc-editor.org/rfc/rfc5280#section-5.2.3))
/// @param thisUpdate when it was issued
/// @param nextUpdate when the next one is due, after `thisUpdate`
/// @param der the encoded CRL; copied in and out
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals and hashCode compare contents
public record PublishedCrl(String caId, BigInteger number, Instant thisUpdate, Instant nextUpdate, byte[] der) {

    /// Longest CA id accepted.
    public static final int MAX_CA_ID_LENGTH = 255;
    /// Largest CRL number: RFC 5280 allows up to 20 octets, and the encoding is signed.
    public static final BigInteger MAX_NUMBER = BigInteger.ONE.shiftLeft(159).subtract(BigInteger.ONE);

    public PublishedCrl {
        Objects.requireNonNull(caId, "caId");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        Objects.requireNonNull(der, "der");
        if (caId.isBlank() || caId.length() > MAX_CA_ID_LENGTH) {
            throw new IllegalArgumentException("a CA id is 1 to " + MAX_CA_ID_LENGTH + " characters, not blank");
        }
        if (number.signum() <= 0 || number.compareTo(MAX_NUMBER) > 0) {
            throw new IllegalArgumentException("a CRL number is positive and at most 20 octets, not " + number);
        }
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("nextUpdate " + nextUpdate + " is not after thisUpdate " + thisUpdate);
        }
        if (der.length == 0) {
            throw new IllegalArgumentException("the CRL is empty");
        }
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublishedCrl other && caId.equals(other.caId) && number.equals(other.number)
                && thisUpdate.equals(other.thisUpdate) && nextUpdate.equals(other.nextUpdate)
                && Arrays.equals(der, other.der);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caId, number, thisUpdate, nextUpdate) * 31 + Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "PublishedCrl[" + caId + " #" + number + ", " + thisUpdate + " to " + nextUpdate + ", "
                + der.length + " bytes]";
    }
}
