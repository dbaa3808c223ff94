package io.certwright.server.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/// What the API handlers share to read a request's fields: a required field, a parsed one, an optional one,
/// a list, each refused as `malformed-request` naming the field; `not-found` problems; new identifiers.
final class Requests {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Requests() {
    }

    static String required(@Nullable String value, String field) throws ProblemException {
        if (value == null || value.isBlank()) {
            throw malformed("'" + field + "' is required");
        }
        return value;
    }

    static <T> T parse(String text, String field, Function<String, T> parser) throws ProblemException {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw malformed("invalid " + field + ": " + abbreviate(String.valueOf(e.getMessage())));
        }
    }

    static <T> Optional<T> optional(@Nullable String text, String field, Function<String, T> parser)
            throws ProblemException {
        return text == null ? Optional.empty() : Optional.of(parse(text, field, parser));
    }

    static <T> List<T> each(@Nullable List<String> texts, String field, Function<String, T> parser)
            throws ProblemException {
        List<T> out = new ArrayList<>();
        if (texts != null) {
            for (String t : texts) {
                if (t == null) {
                    throw malformed("'" + field + "' must not contain null");
                }
                out.add(parse(t, field, parser));
            }
        }
        return out;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    static ProblemException malformed(String detail) {
        return new ProblemException(ProblemType.MALFORMED_REQUEST, detail);
    }

    static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found");
    }

    static String newId(String prefix) {
        byte[] b = new byte[9];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    static String sha256(X509Certificate c) throws CertificateEncodingException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
