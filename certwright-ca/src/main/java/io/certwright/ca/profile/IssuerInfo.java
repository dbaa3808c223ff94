package io.certwright.ca.profile;

import io.certwright.core.TrustDomain;
import io.certwright.core.Validity;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/// What a certificate needs to know about the CA certificate that signs it.
///
/// @param subject the issuer certificate's subject, with its exact encoding
/// @param keyIdentifier the issuer's subject key identifier, copied into the authority key identifier
/// @param validity the issuer's validity; issued certificates must lie inside it
/// @param trustDomain the issuer's SPIFFE trust domain, if it has one
/// @param signatureAlgorithm JCA name of the algorithm the issuer signs with
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals and hashCode compare contents
public record IssuerInfo(X500Principal subject, byte[] keyIdentifier, Validity validity,
        Optional<TrustDomain> trustDomain, String signatureAlgorithm) {

    public IssuerInfo {
        keyIdentifier = keyIdentifier.clone();
    }

    @Override
    public byte[] keyIdentifier() {
        return keyIdentifier.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IssuerInfo other && subject.equals(other.subject)
                && Arrays.equals(keyIdentifier, other.keyIdentifier) && validity.equals(other.validity)
                && trustDomain.equals(other.trustDomain) && signatureAlgorithm.equals(other.signatureAlgorithm);
    }

    @Override
    public int hashCode() {
        return subject.hashCode() * 31 + Arrays.hashCode(keyIdentifier);
    }

    @Override
    public String toString() {
        return "IssuerInfo[" + subject.getName() + ", keyId=" + HexFormat.of().formatHex(keyIdentifier) + "]";
    }
}
