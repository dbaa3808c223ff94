package io.certwright.server.workload;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.certwright.ca.workload.JwtKey;
import io.certwright.ca.workload.JwtKeys;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The trust domain's SPIFFE bundle as the SPIFFE Trust Domain and Bundle specification defines it: a JWK
/// set whose X.509 authorities (the root certificates) carry `use: x509-svid` and `x5c`, whose JWT
/// authorities (the published JWT signing keys) carry `use: jwt-svid` and `kid`, with the top-level
/// `spiffe_sequence` and `spiffe_refresh_hint` (seconds).
///
/// Only EC and RSA roots can be written as JWKs; a root of another key type (Ed25519, ML-DSA) is left out
/// of the JWK set, with a warning in the log, and is still served by `/roots.pem`.
public final class SpiffeBundle {

    /// How often relying parties are asked to fetch the bundle again.
    public static final Duration REFRESH_HINT = Duration.ofMinutes(5);
    /// The `use` of an X.509 authority.
    public static final KeyUse X509_SVID = new KeyUse("x509-svid");
    /// The `use` of a JWT authority.
    public static final KeyUse JWT_SVID = new KeyUse("jwt-svid");

    private static final Logger LOG = LoggerFactory.getLogger(SpiffeBundle.class);

    private final Supplier<List<X509Certificate>> roots;
    private final JwtKeys keys;

    public SpiffeBundle(Supplier<List<X509Certificate>> roots, JwtKeys keys) {
        this.roots = Objects.requireNonNull(roots, "roots");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /// The bundle document, UTF-8 JSON.
    public byte[] json() {
        List<Object> jwks = new ArrayList<>();
        for (X509Certificate root : roots.get()) {
            try {
                JWK jwk = x509Authority(root);
                if (jwk != null) {
                    jwks.add(jwk.toJSONObject());
                }
            } catch (CertificateEncodingException | JOSEException e) {
                LOG.warn("root {} cannot be written as a JWK: {}", root.getSubjectX500Principal(), e.getMessage());
            }
        }
        for (JwtKey k : keys.published()) {
            jwks.add(new ECKey.Builder(Curve.P_256, k.publicKey()).keyUse(JWT_SVID).keyID(k.kid()).build()
                    .toJSONObject());
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("keys", jwks);
        doc.put("spiffe_sequence", keys.sequence());
        doc.put("spiffe_refresh_hint", REFRESH_HINT.toSeconds());
        return JSONObjectUtils.toJSONString(doc).getBytes(StandardCharsets.UTF_8);
    }

    private static @org.jspecify.annotations.Nullable JWK x509Authority(X509Certificate root)
            throws CertificateEncodingException, JOSEException {
        List<Base64> x5c = List.of(Base64.encode(root.getEncoded()));
        return switch (root.getPublicKey()) {
            case ECPublicKey ec -> {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (curve == null) {
                    LOG.warn("root {} has an EC key on a curve JOSE does not name", root.getSubjectX500Principal());
                    yield null;
                }
                yield new ECKey.Builder(curve, ec).keyUse(X509_SVID).x509CertChain(x5c).build();
            }
            case RSAPublicKey rsa -> new RSAKey.Builder(rsa).keyUse(X509_SVID).x509CertChain(x5c).build();
            default -> {
                LOG.warn("root {} has a {} key, which the SPIFFE bundle cannot carry as a JWK",
                        root.getSubjectX500Principal(), root.getPublicKey().getAlgorithm());
                yield null;
            }
        };
    }
}
