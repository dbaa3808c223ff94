package io.certwright.server.workload;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.certwright.ca.workload.JwtKey;
import io.certwright.ca.workload.JwtKeys;
import io.certwright.core.SpiffeId;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/// Mints JWT-SVIDs as the SPIFFE JWT-SVID specification defines them: a JWS signed ES256 with the server's
/// active JWT key, header `alg`, `kid` and `typ: JWT`; claims `sub` (the SPIFFE ID), `aud` (one or more
/// audiences), `exp` and `iat`. Seconds are whole: `iat` is the minting instant truncated to the second.
public final class JwtSvids {

    private final JwtKeys keys;

    public JwtSvids(JwtKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /// A signed JWT-SVID for `subject`, valid for `ttl` from `now`.
    ///
    /// @param audience at least one audience
    /// @throws IllegalArgumentException when `audience` is empty
    /// @throws GeneralSecurityException when signing fails
    public String mint(SpiffeId subject, List<String> audience, Instant now, Duration ttl)
            throws GeneralSecurityException {
        if (audience.isEmpty()) {
            throw new IllegalArgumentException("a JWT-SVID needs at least one audience");
        }
        JwtKey key = keys.active();
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject.toString())
                .audience(List.copyOf(audience))
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(iat.plus(ttl)))
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid()).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            ECDSASigner signer = new ECDSASigner(key.privateKey(), Curve.P_256);
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new GeneralSecurityException("cannot sign a JWT-SVID with key " + key.kid(), e);
        }
        return jwt.serialize();
    }
}
