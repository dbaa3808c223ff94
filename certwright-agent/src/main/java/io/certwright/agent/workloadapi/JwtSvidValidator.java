package io.certwright.agent.workloadapi;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.certwright.agent.node.Bundle;
import io.certwright.core.SpiffeId;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/// Validates JWT-SVIDs against the JWT authorities of a bundle, per the JWT-SVID specification: a signed JWT
/// (no `none`, no HMAC) whose `kid` names a key of the subject's trust domain, whose signature verifies,
/// whose `sub` is a SPIFFE ID, that has not expired and whose `aud` contains the expected audience.
final class JwtSvidValidator {

    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.PS256,
            JWSAlgorithm.PS384, JWSAlgorithm.PS512);

    private final Clock clock;

    JwtSvidValidator(Clock clock) {
        this.clock = clock;
    }

    /// A JWT-SVID that passed validation.
    record Valid(SpiffeId spiffeId, Map<String, @Nullable Object> claims) {
    }

    /// Validates `token` for `audience` against `bundle`.
    ///
    /// @throws InvalidJwtException naming the rule the token breaks
    Valid validate(String token, String audience, Bundle bundle) throws InvalidJwtException {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidJwtException("token is not a signed JWT: " + e.getMessage());
        }
        JWSHeader header = jwt.getHeader();
        if (!ALLOWED.contains(header.getAlgorithm())) {
            throw new InvalidJwtException("unsupported token signature algorithm " + header.getAlgorithm());
        }
        JOSEObjectType typ = header.getType();
        if (typ != null && !typ.getType().equals("JWT") && !typ.getType().equals("JOSE")) {
            throw new InvalidJwtException("token header type must be JWT or JOSE, not " + typ);
        }
        String kid = header.getKeyID();
        if (kid == null || kid.isEmpty()) {
            throw new InvalidJwtException("token header missing key id");
        }
        String sub = claims.getSubject();
        if (sub == null) {
            throw new InvalidJwtException("token missing subject claim");
        }
        SpiffeId subject;
        try {
            subject = SpiffeId.parse(sub);
        } catch (IllegalArgumentException e) {
            throw new InvalidJwtException("token has an invalid subject claim: " + e.getMessage());
        }
        if (!subject.trustDomain().equals(bundle.trustDomain())) {
            throw new InvalidJwtException("no keys found for trust domain " + subject.trustDomain());
        }
        JWK key;
        try {
            key = JWKSet.parse(bundle.jwksJson()).getKeyByKeyId(kid);
        } catch (ParseException e) {
            throw new InvalidJwtException("the JWT bundle of " + bundle.trustDomain() + " does not parse");
        }
        if (key == null) {
            throw new InvalidJwtException("no key " + kid + " in the JWT bundle of " + bundle.trustDomain());
        }
        try {
            JWSVerifier verifier = switch (key) {
                case ECKey ec -> new ECDSAVerifier(ec);
                case RSAKey rsa -> new RSASSAVerifier(rsa);
                default -> throw new InvalidJwtException("unsupported key type " + key.getKeyType());
            };
            if (!jwt.verify(verifier)) {
                throw new InvalidJwtException("token signature is invalid");
            }
        } catch (JOSEException e) {
            throw new InvalidJwtException("token signature cannot be verified: " + e.getMessage());
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new InvalidJwtException("token missing exp claim");
        }
        if (!now.isBefore(exp.toInstant())) {
            throw new InvalidJwtException("token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant())) {
            throw new InvalidJwtException("token is not yet valid");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) {
            throw new InvalidJwtException("expected audience in " + aud + " (audience=" + audience + ")");
        }
        Map<String, @Nullable Object> json = new java.util.LinkedHashMap<>(claims.toJSONObject());
        return new Valid(subject, json);
    }

    /// A token that is not a valid JWT-SVID; the message says why.
    static final class InvalidJwtException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidJwtException(String message) {
            super(message);
        }
    }
}
