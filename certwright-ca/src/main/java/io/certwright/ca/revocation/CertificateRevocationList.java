package io.certwright.ca.revocation;

import io.certwright.ca.Pem;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/// A signed X.509 v2 CRL and the facts a publisher needs about it without parsing it again.
///
/// @param number its cRLNumber
/// @param thisUpdate when it was issued (whole seconds)
/// @param nextUpdate when the next one is due (whole seconds)
/// @param entries how many certificates it lists
public record CertificateRevocationList(BigInteger number, Instant thisUpdate, Instant nextUpdate, int entries,
        ByteBuffer encoded) {

    /// Media type for DER CRLs ([RFC 5280 §4.2.1.13](https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.13)).
    public static final String MEDIA_TYPE = "application/pkix-crl";

    public CertificateRevocationList {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        encoded = encoded.asReadOnlyBuffer();
    }

    static CertificateRevocationList of(BigInteger number, Instant thisUpdate, Instant nextUpdate, int entries,
            byte[] der) {
        return new CertificateRevocationList(number, thisUpdate, nextUpdate, entries, ByteBuffer.wrap(der));
    }

    /// A read-only view of the DER encoding, positioned at its start; for writing to a response without a copy.
    @Override
    public ByteBuffer encoded() {
        return encoded.duplicate();
    }

    /// A copy of the DER encoding.
    public byte[] der() {
        ByteBuffer b = encoded();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /// The CRL as a PEM `X509 CRL` block.
    public String pem() {
        return Pem.crl(der());
    }

    @Override
    public String toString() {
        return "CertificateRevocationList[number=" + number + ", thisUpdate=" + thisUpdate + ", nextUpdate="
                + nextUpdate + ", entries=" + entries + ", " + encoded.remaining() + " bytes]";
    }
}
