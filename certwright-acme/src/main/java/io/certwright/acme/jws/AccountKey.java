package io.certwright.acme.jws;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeProblemType;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/// A public key as ACME uses it: an account key, a key-rollover key, or a certificate key in `revoke-cert`.
/// Only the key types this server verifies are admitted: EC P-256 and P-384, RSA of 2048 to 8192 bits, and
/// Ed25519.
///
/// @param publicKey the key, for verification
/// @param jwk the public JWK as JSON, as stored with the account
/// @param thumbprint the RFC 7638 SHA-256 thumbprint, base64url
/// @param type the key type: `P-256`, `P-384`, `RSA` or `Ed25519`
public record AccountKey(PublicKey publicKey, String jwk, String thumbprint, String type) {

    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_RSA_BITS = 8192;
    /// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow.
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
        0x21, 0x00};

    /// Checks the components.
    public AccountKey {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(jwk, "jwk");
        Objects.requireNonNull(thumbprint, "thumbprint");
        Objects.requireNonNull(type, "type");
    }

    /// Reads a JWK (JSON text) sent by a client.
    ///
    /// @throws AcmeException `malformed` when it is not a public JWK, `badPublicKey` when the key type or size
    ///     is not accepted
    public static AccountKey parse(String json) throws AcmeException {
        JWK jwk;
        try {
            jwk = JWK.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the JWK does not parse: " + e.getMessage());
        }
        if (jwk.isPrivate()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "the JWK must hold a public key only");
        }
        try {
            return of(jwk);
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            throw AcmeException.of(AcmeProblemType.BAD_PUBLIC_KEY, "the JWK is not a usable key: " + e.getMessage());
        }
    }

    /// The account key form of a Java public key (a certificate's or a CSR's), or empty for key types ACME
    /// accounts cannot have.
    public static Optional<AccountKey> of(PublicKey key) {
        try {
            JWK jwk;
            if (key instanceof ECPublicKey ec) {
                jwk = new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            } else if (key instanceof RSAPublicKey rsa) {
                jwk = new RSAKey.Builder(rsa).build();
            } else if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
                byte[] spki = key.getEncoded();
                if (spki.length != ED25519_SPKI_PREFIX.length + 32
                        || !Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
                                ED25519_SPKI_PREFIX.length)) {
                    return Optional.empty();
                }
                jwk = new OctetKeyPair.Builder(Curve.Ed25519,
                        Base64URL.encode(Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length))).build();
            } else {
                return Optional.empty();
            }
            return Optional.of(of(jwk));
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static AccountKey of(JWK jwk) throws JOSEException, GeneralSecurityException {
        String thumbprint = jwk.computeThumbprint().toString();
        String json = jwk.toPublicJWK().toJSONString();
        if (jwk instanceof ECKey ec) {
            Curve curve = ec.getCurve();
            if (!Curve.P_256.equals(curve) && !Curve.P_384.equals(curve)) {
                throw new GeneralSecurityException("EC keys must be on P-256 or P-384, not " + curve);
            }
            return new AccountKey(ec.toECPublicKey(), json, thumbprint, curve.getName());
        }
        if (jwk instanceof RSAKey rsa) {
            int bits = rsa.size();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new GeneralSecurityException("RSA keys must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS
                        + " bits, not " + bits);
            }
            return new AccountKey(rsa.toRSAPublicKey(), json, thumbprint, "RSA");
        }
        if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            byte[] x = okp.getDecodedX();
            if (x.length != 32) {
                throw new GeneralSecurityException("an Ed25519 key has 32 bytes");
            }
            byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
            System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, 32);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            return new AccountKey(key, json, thumbprint, "Ed25519");
        }
        throw new GeneralSecurityException("key type " + jwk.getKeyType() + " is not accepted; use EC P-256, "
                + "EC P-384, RSA or Ed25519");
    }

    /// Whether `other` is the same key.
    public boolean sameKey(AccountKey other) {
        return thumbprint.equals(other.thumbprint);
    }

    /// Whether `other` (a CSR's or a certificate's key) is this key, however it is encoded: EC keys are
    /// compared by curve and point, RSA keys by modulus and exponent, others by their encoded form.
    public boolean sameKey(PublicKey other) {
        if (publicKey instanceof ECPublicKey a && other instanceof ECPublicKey b) {
            return a.getW().equals(b.getW()) && a.getParams().getCurve().equals(b.getParams().getCurve())
                    && a.getParams().getOrder().equals(b.getParams().getOrder());
        }
        if (publicKey instanceof RSAPublicKey a && other instanceof RSAPublicKey b) {
            return a.getModulus().equals(b.getModulus()) && a.getPublicExponent().equals(b.getPublicExponent());
        }
        byte[] mine = publicKey.getEncoded();
        byte[] theirs = other.getEncoded();
        return mine != null && theirs != null && MessageDigest.isEqual(mine, theirs);
    }
}
