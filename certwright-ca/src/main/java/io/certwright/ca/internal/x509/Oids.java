package io.certwright.ca.internal.x509;

import io.certwright.core.KeyAlgorithm;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/// Object identifiers Certwright accepts, with their JCA names. Anything absent here is refused.
final class Oids {

    /// Signature algorithms a CSR may be signed with, to their JCA names.
    static final Map<ASN1ObjectIdentifier, String> SIGNATURE_ALGORITHMS = Map.ofEntries(
            Map.entry(PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA"),
            Map.entry(PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA"),
            Map.entry(PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA"),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA"),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA"),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA"),
            Map.entry(EdECObjectIdentifiers.id_Ed25519, "Ed25519"),
            Map.entry(NISTObjectIdentifiers.id_ml_dsa_44, "ML-DSA-44"),
            Map.entry(NISTObjectIdentifiers.id_ml_dsa_65, "ML-DSA-65"),
            Map.entry(NISTObjectIdentifiers.id_ml_dsa_87, "ML-DSA-87"));

    private Oids() {
    }

    /// JCA key-factory name for a key algorithm OID.
    static Optional<String> keyFactoryName(ASN1ObjectIdentifier oid) {
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return Optional.of("EC");
        }
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return Optional.of("RSA");
        }
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return Optional.of("Ed25519");
        }
        if (mlDsa(oid).isPresent()) {
            return Optional.of("ML-DSA");
        }
        return Optional.empty();
    }

    static Optional<KeyAlgorithm> mlDsa(ASN1ObjectIdentifier oid) {
        if (oid.equals(NISTObjectIdentifiers.id_ml_dsa_44)) {
            return Optional.of(KeyAlgorithm.MLDSA44);
        }
        if (oid.equals(NISTObjectIdentifiers.id_ml_dsa_65)) {
            return Optional.of(KeyAlgorithm.MLDSA65);
        }
        if (oid.equals(NISTObjectIdentifiers.id_ml_dsa_87)) {
            return Optional.of(KeyAlgorithm.MLDSA87);
        }
        return Optional.empty();
    }

    static Optional<KeyAlgorithm> ecCurve(ASN1ObjectIdentifier curve) {
        if (curve.equals(SECObjectIdentifiers.secp256r1)) {
            return Optional.of(KeyAlgorithm.P256);
        }
        if (curve.equals(SECObjectIdentifiers.secp384r1)) {
            return Optional.of(KeyAlgorithm.P384);
        }
        return Optional.empty();
    }
}
