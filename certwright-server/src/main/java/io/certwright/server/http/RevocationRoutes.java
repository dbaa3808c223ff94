package io.certwright.server.http;

import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditLog;
import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.registry.RevocationSelector;
import io.certwright.ca.revocation.CertificateRevocationList;
import io.certwright.ca.revocation.OcspResponder;
import io.certwright.ca.revocation.OcspResponse;
import io.certwright.ca.revocation.RevocationStatus;
import io.certwright.core.SerialNumber;
import io.certwright.server.revocation.RevocationService;
import io.certwright.server.revocation.ServedCrl;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;

/// The public revocation routes — CRLs, CA certificates, OCSP over POST and GET — and bulk revocation.
///
/// OCSP answers always leave as `200 application/ocsp-response`, errors included (`malformedRequest` for a
/// body that is not an OCSP request, a wrong media type or undecodable base64), as RFC 6960 A.1 and
/// RFC 5019 §5 expect; only HTTP-level problems get a 4xx problem: a body over 64 KiB (413) or a method the
/// path does not take (405). Successful answers without a nonce carry the caching headers of RFC 5019 §6.
final class RevocationRoutes {

    static final String OCSP_REQUEST = "application/ocsp-request";
    static final String PEM_FILE = "application/x-pem-file";
    static final String PKIX_CERT = "application/pkix-cert";
    /// How long relying parties may cache a CA certificate.
    static final Duration CA_CERTIFICATE_MAX_AGE = Duration.ofHours(1);

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final RevocationService revocation;
    private final CertificateRepository registry;
    private final AuditLog audit;
    private final Metrics metrics;

    RevocationRoutes(RevocationService revocation, CertificateRepository registry, AuditLog audit, Metrics metrics,
            Clock clock) {
        this.revocation = revocation;
        this.registry = registry;
        this.audit = audit;
        this.metrics = metrics;
        revocation.crls().keySet().forEach(role -> metrics.crl(role,
                () -> revocation.crl(role).map(c -> c.number().doubleValue()).orElse(Double.NaN),
                () -> revocation.crl(role).map(c -> seconds(c.thisUpdate(), clock.instant())).orElse(Double.NaN),
                () -> revocation.crl(role).map(c -> seconds(clock.instant(), c.nextUpdate())).orElse(Double.NaN)));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /// The public routes, served on the HTTPS port and on the plain-HTTP listener.
    List<Routes.Route> publicRoutes() {
        return List.of(
                new Routes.Route("GET", "/crl/{file}", Access.PUBLIC, this::crl),
                new Routes.Route("GET", "/ca/{file}", Access.PUBLIC, this::caCertificate),
                new Routes.Route("POST", "/ocsp", Access.PUBLIC, this::ocspPost),
                new Routes.Route("GET", "/ocsp/{request}", Access.PUBLIC, this::ocspGet, true));
    }

    /// The routes that need a token.
    List<Routes.Route> apiRoutes() {
        return List.of(new Routes.Route("POST", "/api/v1/certificates/revoke", Access.OPERATOR, this::revokeAll));
    }

    // ------------------------------------------------------------------ CRLs and CA certificates

    Reply crl(Call call) throws ProblemException {
        String file = call.param("file");
        if (!file.endsWith(".crl")) {
            throw notFound("CRL " + file);
        }
        String name = file.substring(0, file.length() - ".crl".length());
        ServedCrl crl = revocation.crl(name).orElseThrow(() -> notFound("CRL " + file));
        boolean pem = switch (call.query("format").orElse("").toLowerCase(Locale.ROOT)) {
            case "pem" -> true;
            case "der" -> false;
            case "" -> call.accepts(PEM_FILE);
            default -> throw new ProblemException(ProblemType.MALFORMED_REQUEST, "format must be der or pem");
        };
        Map<String, String> headers = new LinkedHashMap<>();
        String etag = pem ? crl.etag().replace("\"crl-", "\"crl-pem-") : crl.etag();
        headers.put("ETag", etag);
        headers.put("Last-Modified", HTTP_DATE.format(crl.thisUpdate()));
        headers.put("Expires", HTTP_DATE.format(crl.nextUpdate()));
        headers.put("Cache-Control", "public, max-age=" + maxAge(call.now(), crl.nextUpdate()));
        headers.put("Vary", "Accept");
        if (call.header(HttpHeader.IF_NONE_MATCH).map(v -> matches(v, etag)).orElse(false)) {
            return new Reply(304, pem ? PEM_FILE : CertificateRevocationList.MEDIA_TYPE, new byte[0], headers);
        }
        if (pem) {
            return new Reply(200, PEM_FILE, crl.pem().getBytes(StandardCharsets.US_ASCII), headers);
        }
        return new Reply(200, CertificateRevocationList.MEDIA_TYPE, crl.der(), headers);
    }

    Reply caCertificate(Call call) throws ProblemException {
        String file = call.param("file");
        if (!file.endsWith(".crt")) {
            throw notFound("CA certificate " + file);
        }
        byte[] der = revocation.caCertificate(file.substring(0, file.length() - ".crt".length()))
                .orElseThrow(() -> notFound("CA certificate " + file));
        return new Reply(200, PKIX_CERT, der, Map.of("Cache-Control", "public, max-age="
                + CA_CERTIFICATE_MAX_AGE.toSeconds()));
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",", -1)) {
            String c = candidate.strip();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ OCSP

    Reply ocspPost(Call call) throws ProblemException {
        byte[] body = call.rawBody(OcspResponder.MAX_REQUEST_BYTES);
        String type = call.header(HttpHeader.CONTENT_TYPE).orElse("");
        if (!type.split(";", 2)[0].strip().equalsIgnoreCase(OCSP_REQUEST)) {
            return malformed(call);
        }
        return ocsp(call, revocation.respond(body));
    }

    Reply ocspGet(Call call) {
        String raw = call.rawPath();
        int start = raw.indexOf("/ocsp/");
        byte[] request = start < 0 ? null : decodeGetRequest(raw.substring(start + "/ocsp/".length()));
        if (request == null) {
            return malformed(call);
        }
        return ocsp(call, revocation.respond(request));
    }

    /// The DER request of an RFC 6960 A.1 GET: the path segment percent-decoded, then base64 (standard or
    /// URL-safe alphabet, padding optional); null when it is not that.
    static byte @Nullable [] decodeGetRequest(String encoded) {
        if (encoded.isEmpty() || encoded.length() > 4 * OcspResponder.MAX_REQUEST_BYTES) {
            return null;
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                c = (char) (hi * 16 + lo);
                i += 2;
            }
            if (c == '-') {
                c = '+';
            } else if (c == '_') {
                c = '/';
            }
            boolean base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/' || c == '=';
            if (!base64) {
                return null;
            }
            text.write(c);
        }
        try {
            // Padding is optional for the JDK's decoder, which also refuses '=' anywhere but at the end.
            return Base64.getDecoder().decode(text.toByteArray());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /// `malformedRequest`: the responder's answer to an empty request.
    private Reply malformed(Call call) {
        return ocsp(call, revocation.respond(new byte[0]));
    }

    private Reply ocsp(Call call, OcspResponse response) {
        String status = response.certificateStatus().map(s -> switch (s) {
            case RevocationStatus.Good g -> "good";
            case RevocationStatus.Revoked r -> "revoked";
            case RevocationStatus.Unknown u -> "unknown";
        }).orElseGet(() -> statusName(response.status()));
        metrics.ocspResponse(status);
        byte[] der = response.der();
        if (!response.cacheable() || response.thisUpdate().isEmpty() || response.nextUpdate().isEmpty()) {
            return new Reply(200, OcspResponse.MEDIA_TYPE, der, Map.of());
        }
        Instant thisUpdate = response.thisUpdate().get();
        Instant nextUpdate = response.nextUpdate().get();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "max-age=" + maxAge(call.now(), nextUpdate)
                + ", public, no-transform, must-revalidate");
        headers.put("Last-Modified", HTTP_DATE.format(thisUpdate));
        headers.put("Expires", HTTP_DATE.format(nextUpdate));
        headers.put("ETag", "\"" + sha1(der) + "\"");
        return new Reply(200, OcspResponse.MEDIA_TYPE, der, headers);
    }

    private static String statusName(OcspResponse.Status status) {
        return switch (status) {
            case SUCCESSFUL -> "successful";
            case MALFORMED_REQUEST -> "malformedRequest";
            case INTERNAL_ERROR -> "internalError";
            case TRY_LATER -> "tryLater";
            case SIG_REQUIRED -> "sigRequired";
            case UNAUTHORIZED -> "unauthorized";
        };
    }

    private static long maxAge(Instant now, Instant nextUpdate) {
        return Math.max(0, Duration.between(now, nextUpdate).toSeconds());
    }

    private static String sha1(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    // ------------------------------------------------------------------ bulk revocation

    /// `{"spiffe_id": PATTERN}`, `{"dns": PATTERN}` or `{"issuer_key_id": HEX}`, and an optional `reason`.
    record BulkRevokeBody(@Nullable String spiffeId, @Nullable String dns, @Nullable String issuerKeyId,
            @Nullable String reason) {
    }

    /// The answer: what was selected, why, and every serial this call revoked.
    record BulkRevoked(String selector, String reason, int count, List<String> revoked) {
    }

    Reply revokeAll(Call call) throws Exception {
        BulkRevokeBody body = Wire.read(call.jsonBody(), BulkRevokeBody.class);
        String actor = call.caller().actor();
        RevocationSelector selector;
        String described;
        RevocationReason reason;
        try {
            int given = (body.spiffeId() == null ? 0 : 1) + (body.dns() == null ? 0 : 1)
                    + (body.issuerKeyId() == null ? 0 : 1);
            if (given != 1) {
                throw new IllegalArgumentException("name exactly one selector: spiffe_id, dns or issuer_key_id");
            }
            if (body.spiffeId() != null) {
                selector = new RevocationSelector.BySpiffeId(SpiffeIdPattern.parse(body.spiffeId()));
                described = "spiffe_id=" + body.spiffeId();
            } else if (body.dns() != null) {
                selector = new RevocationSelector.ByDnsName(DnsPattern.parse(body.dns()));
                described = "dns=" + body.dns();
            } else {
                KeyIdentifier id = KeyIdentifier.parse(java.util.Objects.requireNonNull(body.issuerKeyId()));
                selector = new RevocationSelector.ByIssuerKey(id);
                described = "issuer_key_id=" + id.hex();
            }
            reason = body.reason() == null ? RevocationReason.UNSPECIFIED : RevocationReason.parse(body.reason());
        } catch (IllegalArgumentException e) {
            String detail = String.valueOf(e.getMessage());
            audit.append(AuditEvent.refused(actor, "certificate.revoke-bulk", "", Map.of("reason", detail)));
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, detail);
        }
        Map<String, String> details = Map.of("reason", reason.wireName(), "selector", described);
        List<SerialNumber> revoked = registry.revokeAll(selector, reason, call.now(),
                serial -> AuditEvent.success(actor, "certificate.revoke", serial.hex(), details));
        audit.append(AuditEvent.success(actor, "certificate.revoke-bulk", described, Map.of("reason",
                reason.wireName(), "count", Integer.toString(revoked.size()))));
        List<String> serials = revoked.stream().map(SerialNumber::hex).sorted().toList();
        return Reply.json(200, new BulkRevoked(described, reason.wireName(), serials.size(), serials));
    }

    private static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found");
    }
}
