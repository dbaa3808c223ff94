package io.certwright.acme.jws;

import io.certwright.acme.AcmeException;
import io.certwright.acme.AcmeJson;
import io.certwright.acme.AcmeProblem;
import io.certwright.acme.AcmeProblemType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/// A JWS in the flattened JSON serialization (RFC 7515 section 7.2.2), as ACME requires it (RFC 8555
/// section 6.2): members `protected`, `payload` and `signature` only, no unprotected header, one signature.
///
/// Parsing checks the form and the algorithm; [#verify] checks the signature with a key the caller chose.
public final class JwsMessage {

    /// The signature algorithms accepted for requests, in the order the `badSignatureAlgorithm` problem
    /// lists them.
    public static final List<String> ALGORITHMS = List.of("ES256", "ES384", "RS256", "EdDSA");

    private static final Set<String> MEMBERS = Set.of("protected", "payload", "signature");

    private final String protectedPart;
    private final String payloadPart;
    private final byte[] signature;
    private final JsonNode header;
    private final byte[] payload;
    private final String alg;

    private JwsMessage(String protectedPart, String payloadPart, byte[] signature, JsonNode header, byte[] payload,
            String alg) {
        this.protectedPart = protectedPart;
        this.payloadPart = payloadPart;
        this.signature = signature;
        this.header = header;
        this.payload = payload;
        this.alg = alg;
    }

    /// Parses a request body signed with one of [#ALGORITHMS].
    public static JwsMessage parse(byte[] body) throws AcmeException {
        return parse(AcmeJson.readObject(body, "the request body"), ALGORITHMS);
    }

    /// Parses a JWS given as a JSON object (the inner JWS of a key rollover or an external account binding).
    ///
    /// @param algorithms the `alg` values accepted
    /// @throws AcmeException `malformed` for anything but a flattened JWS, `badSignatureAlgorithm` for an
    ///     algorithm not in `algorithms`
    public static JwsMessage parse(JsonNode jws, List<String> algorithms) throws AcmeException {
        if (!jws.isObject()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "a JWS must be a JSON object");
        }
        for (String member : jws.propertyNames()) {
            if (!MEMBERS.contains(member)) {
                throw AcmeException.of(AcmeProblemType.MALFORMED, "a JWS in flattened JSON form has only "
                        + "'protected', 'payload' and 'signature'; '" + printable(member) + "' is not allowed");
            }
        }
        String protectedPart = required(jws, "protected");
        String payloadPart = required(jws, "payload");
        String signaturePart = required(jws, "signature");
        JsonNode header = AcmeJson.readObject(AcmeJson.base64Url(protectedPart, "the protected header"),
                "the protected header");
        byte[] payload = AcmeJson.base64Url(payloadPart, "the payload");
        byte[] signature = AcmeJson.base64Url(signaturePart, "the signature");
        String alg = AcmeJson.string(header, "alg").orElseThrow(
                () -> AcmeException.of(AcmeProblemType.MALFORMED, "the protected header has no 'alg'"));
        if (!algorithms.contains(alg)) {
            throw new AcmeException(AcmeProblem.of(AcmeProblemType.BAD_SIGNATURE_ALGORITHM, "algorithm '"
                    + printable(alg) + "' is not accepted; use one of " + algorithms).withAlgorithms(algorithms));
        }
        if (header.has("crit") || header.has("b64")) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "JWS extensions ('crit', 'b64') are not supported");
        }
        return new JwsMessage(protectedPart, payloadPart, signature, header, payload, alg);
    }

    private static String required(JsonNode jws, String member) throws AcmeException {
        return AcmeJson.string(jws, member).orElseThrow(
                () -> AcmeException.of(AcmeProblemType.MALFORMED, "the JWS has no '" + member + "'"));
    }

    /// The `alg` header.
    public String alg() {
        return alg;
    }

    /// The protected header.
    public JsonNode header() {
        return header;
    }

    /// The string header parameter `name`, if present.
    public Optional<String> headerString(String name) throws AcmeException {
        return AcmeJson.string(header, name);
    }

    /// The `jwk` header parameter, if present.
    public Optional<JsonNode> jwk() {
        return header.optional("jwk").filter(n -> !n.isNull());
    }

    /// The decoded payload.
    public byte[] payload() {
        return payload.clone();
    }

    /// Whether this is a POST-as-GET (RFC 8555 section 6.3): an empty payload.
    public boolean isPostAsGet() {
        return payloadPart.isEmpty();
    }

    /// The payload as a JSON object.
    public JsonNode payloadObject() throws AcmeException {
        if (isPostAsGet()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "this resource needs a JSON object payload, not "
                    + "a POST-as-GET");
        }
        return AcmeJson.readObject(payload, "the JWS payload");
    }

    /// Verifies the signature with `key`.
    ///
    /// @throws AcmeException `badSignatureAlgorithm` when the algorithm does not fit the key, `malformed`
    ///     when the signature does not verify
    public void verify(AccountKey key) throws AcmeException {
        @Nullable String jca = switch (alg) {
            case "ES256" -> "P-256".equals(key.type()) ? "SHA256withECDSAinP1363Format" : null;
            case "ES384" -> "P-384".equals(key.type()) ? "SHA384withECDSAinP1363Format" : null;
            case "RS256" -> "RSA".equals(key.type()) ? "SHA256withRSA" : null;
            case "EdDSA" -> "Ed25519".equals(key.type()) ? "Ed25519" : null;
            default -> null;
        };
        if (jca == null) {
            throw new AcmeException(AcmeProblem.of(AcmeProblemType.BAD_SIGNATURE_ALGORITHM, "algorithm '" + alg
                    + "' does not fit the " + key.type() + " key").withAlgorithms(ALGORITHMS));
        }
        int expectedLength = switch (alg) {
            case "ES256" -> 64;
            case "ES384" -> 96;
            case "EdDSA" -> 64;
            default -> -1;
        };
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(jca);
            verifier.initVerify(key.publicKey());
            verifier.update(signingInput());
            valid = (expectedLength < 0 || signature.length == expectedLength) && verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "JWS verification error: the signature does not "
                    + "verify with the " + key.type() + " key");
        }
    }

    /// The bytes the signature covers: `protected` `.` `payload`, ASCII.
    public byte[] signingInput() {
        return (protectedPart + "." + payloadPart).getBytes(StandardCharsets.US_ASCII);
    }

    /// The signature bytes.
    public byte[] signature() {
        return signature.clone();
    }

    static String printable(String text) {
        return io.certwright.acme.Identifiers.printable(text);
    }
}
