package io.certwright.acme;

import java.util.Base64;
import java.util.Optional;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/// Reading what ACME clients send: strict JSON (a repeated member or trailing content is an error, so two
/// parsers can never read one message differently) and strict base64url (RFC 7515 section 2: no padding,
/// no line breaks). Every failure is `malformed`.
public final class AcmeJson {

    /// The mapper for everything the ACME server reads and writes.
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private AcmeJson() {
    }

    /// Parses a JSON object.
    ///
    /// @param what names the document in the error, such as `the JWS payload`
    public static JsonNode readObject(byte[] json, String what) throws AcmeException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (RuntimeException e) { // JacksonException included
            throw AcmeException.of(AcmeProblemType.MALFORMED, what + " is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, what + " must be a JSON object");
        }
        return node;
    }

    /// The string member `name` of `object`; empty when absent.
    ///
    /// @throws AcmeException `malformed` when present but not a string
    public static Optional<String> string(JsonNode object, String name) throws AcmeException {
        Optional<JsonNode> v = object.optional(name);
        if (v.isEmpty() || v.get().isNull()) {
            return Optional.empty();
        }
        if (!v.get().isString()) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, "'" + name + "' must be a string");
        }
        return Optional.of(v.get().stringValue());
    }

    /// Decodes base64url without padding.
    ///
    /// @throws AcmeException `malformed` when `text` is not strict base64url
    public static byte[] base64Url(String text, String what) throws AcmeException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                throw AcmeException.of(AcmeProblemType.MALFORMED, what + " is not base64url without padding");
            }
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw AcmeException.of(AcmeProblemType.MALFORMED, what + " is not base64url without padding");
        }
    }

    /// Encodes base64url without padding.
    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
