package io.certwright.ca.internal.x509;

import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.policy.KeyDescription;
import io.certwright.core.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/// Identifies and converts keys by their encodings, so keys from any provider (JDK, ACCP, PKCS#11) are
/// treated alike.
public final class Keys {

    private Keys() {
    }

    /// What a public key is, decided from its SubjectPublicKeyInfo.
    public static KeyDescription describe(PublicKey key) {
        return describe(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    static KeyDescription describe(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            var params = spki.getAlgorithm().getParameters();
            if (params instanceof ASN1ObjectIdentifier curve) {
                Optional<KeyAlgorithm> std = Oids.ecCurve(curve);
                String name = std.map(KeyAlgorithm::description).orElse("EC curve " + curve.getId());
                int bits = std.map(KeyAlgorithm::size).orElse(0);
                return new KeyDescription(Optional.of(KeyAlgorithm.Family.EC), bits, name, std);
            }
            return new KeyDescription(Optional.of(KeyAlgorithm.Family.EC), 0, "EC with explicit parameters",
                    Optional.empty());
        }
        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            int bits;
            try {
                bits = RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
            } catch (java.io.IOException | IllegalArgumentException e) {
                return new KeyDescription(Optional.empty(), 0, "malformed RSA key", Optional.empty());
            }
            Optional<KeyAlgorithm> std = switch (bits) {
                case 2048 -> Optional.of(KeyAlgorithm.RSA2048);
                case 3072 -> Optional.of(KeyAlgorithm.RSA3072);
                case 4096 -> Optional.of(KeyAlgorithm.RSA4096);
                default -> Optional.empty();
            };
            return new KeyDescription(Optional.of(KeyAlgorithm.Family.RSA), bits, "RSA " + bits, std);
        }
        if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return new KeyDescription(Optional.of(KeyAlgorithm.Family.EDDSA), 255, "Ed25519",
                    Optional.of(KeyAlgorithm.ED25519));
        }
        Optional<KeyAlgorithm> mldsa = Oids.mlDsa(alg);
        if (mldsa.isPresent()) {
            return new KeyDescription(Optional.of(KeyAlgorithm.Family.MLDSA), mldsa.get().size(),
                    mldsa.get().description(), mldsa);
        }
        String name = alg.equals(EdECObjectIdentifiers.id_Ed448) ? "Ed448" : "algorithm " + alg.getId();
        return new KeyDescription(Optional.empty(), 0, name, Optional.empty());
    }

    /// A JDK public key from an encoded SubjectPublicKeyInfo.
    static PublicKey toPublicKey(SubjectPublicKeyInfo spki) throws GeneralSecurityException {
        String name = Oids.keyFactoryName(spki.getAlgorithm().getAlgorithm())
                .orElseThrow(() -> new GeneralSecurityException("unsupported key algorithm "
                        + spki.getAlgorithm().getAlgorithm().getId()));
        try {
            return keyFactory(name).generatePublic(new X509EncodedKeySpec(spki.getEncoded(ASN1Encoding.DER)));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot encode public key", e);
        }
    }

    /// A public key as `provider` represents it, so that provider need not convert it for every operation;
    /// falls back to the JDK's representation when the provider has no key factory for it.
    static PublicKey toPublicKey(SubjectPublicKeyInfo spki, java.security.Provider provider)
            throws GeneralSecurityException {
        String name = Oids.keyFactoryName(spki.getAlgorithm().getAlgorithm())
                .orElseThrow(() -> new GeneralSecurityException("unsupported key algorithm "
                        + spki.getAlgorithm().getAlgorithm().getId()));
        if (provider.getService("KeyFactory", name) == null) {
            return toPublicKey(spki);
        }
        try {
            return KeyFactory.getInstance(name, provider)
                    .generatePublic(new X509EncodedKeySpec(spki.getEncoded(ASN1Encoding.DER)));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot encode public key", e);
        }
    }

    /// A JDK private key from a PKCS#8 PrivateKeyInfo.
    static PrivateKey toPrivateKey(PrivateKeyInfo info) throws GeneralSecurityException {
        String name = Oids.keyFactoryName(info.getPrivateKeyAlgorithm().getAlgorithm())
                .orElseThrow(() -> new GeneralSecurityException("unsupported private key algorithm "
                        + info.getPrivateKeyAlgorithm().getAlgorithm().getId()));
        byte[] der;
        try {
            der = info.getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot encode private key", e);
        }
        try {
            return keyFactory(name).generatePrivate(new PKCS8EncodedKeySpec(der));
        } finally {
            java.util.Arrays.fill(der, (byte) 0);
        }
    }

    /// A JDK private key from PKCS#8 DER.
    public static PrivateKey privateKeyFromPkcs8(byte[] der) throws GeneralSecurityException {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (java.io.IOException | IllegalArgumentException | ClassCastException e) {
            throw new GeneralSecurityException("not a PKCS#8 private key");
        }
        return toPrivateKey(info);
    }

    /// The standard key algorithm of a private key, from its PKCS#8 encoding.
    public static Optional<KeyAlgorithm> algorithmOf(PublicKey key) {
        return describe(key).standard();
    }

    private static KeyFactory keyFactory(String name) throws GeneralSecurityException {
        return KeyFactory.getInstance(name, CryptoProviders.jdkProvider("KeyFactory", name));
    }
}
