package io.certwright.server.revocation;

import io.certwright.ca.Pem;
import io.certwright.ca.registry.PublishedCrl;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// The CRL a server hands out for one CA: the published bytes and what HTTP caching needs. Every replica
/// serves the same bytes for the same number, because the database accepts one CRL per number.
///
/// @param caId the CA's published id (its subject key identifier in lowercase hex)
/// @param role `root` or `intermediate`, the alias under which it is also served
/// @param number the CRL number
/// @param thisUpdate when it was issued
/// @param nextUpdate when the next one is due
@SuppressWarnings("ArrayRecordComponent") // der is never handed out without a copy or a read-only view
public record ServedCrl(String caId, String role, BigInteger number, Instant thisUpdate, Instant nextUpdate,
        byte[] der) {

    public ServedCrl {
        Objects.requireNonNull(caId, "caId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        Objects.requireNonNull(der, "der");
    }

    static ServedCrl of(String role, PublishedCrl crl) {
        return new ServedCrl(crl.caId(), role, crl.number(), crl.thisUpdate(), crl.nextUpdate(), crl.der());
    }

    /// The DER bytes; the array is shared, callers must not modify it.
    @Override
    public byte[] der() {
        return der;
    }

    /// The CRL as a PEM `X509 CRL` block.
    public String pem() {
        return Pem.crl(der);
    }

    /// A strong entity tag: the CRL number identifies the bytes, on every replica.
    public String etag() {
        return "\"crl-" + number.toString(16) + "\"";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ServedCrl s && caId.equals(s.caId) && number.equals(s.number)
                && java.util.Arrays.equals(der, s.der);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caId, number);
    }

    @Override
    public String toString() {
        return "ServedCrl[" + role + " " + caId + " #" + number + ", " + thisUpdate + " to " + nextUpdate + ", "
                + der.length + " bytes]";
    }
}
