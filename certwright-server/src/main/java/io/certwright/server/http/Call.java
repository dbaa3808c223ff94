package io.certwright.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/// One routed request as a handler sees it: path parameters, query, headers, a size-limited body, the
/// client certificate, the authenticated caller and the instant the request is judged at.
final class Call {

    /// Most bytes of an oversized body read and discarded before answering 413: the largest body limit the
    /// configuration allows (`limits.max-body-bytes`). Answering while the client still sends would close the
    /// connection on unread bytes, and the client's TCP stack may then drop the 413 for the reset.
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final Request request;
    private final Map<String, String> params;
    private final int maxBodyBytes;
    private final Instant now;
    private final String address;
    private @Nullable Fields query;
    private Caller caller;

    Call(Request request, Map<String, String> params, int maxBodyBytes, Instant now) {
        this.request = request;
        this.params = Map.copyOf(params);
        this.maxBodyBytes = maxBodyBytes;
        this.now = now;
        this.address = Request.getRemoteAddr(request);
        this.caller = new Caller.Anonymous(address);
    }

    String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return v;
    }

    Optional<String> query(String name) throws ProblemException {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the query string is not valid");
            }
        }
        return Optional.ofNullable(query.getValue(name)).filter(s -> !s.isEmpty());
    }

    Optional<String> header(HttpHeader name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    String address() {
        return address;
    }

    String method() {
        return request.getMethod();
    }

    /// Every request header, repeated ones included.
    org.eclipse.jetty.http.HttpFields headers() {
        return request.getHeaders();
    }

    Instant now() {
        return now;
    }

    String path() {
        return Request.getPathInContext(request);
    }

    /// The path as sent, still percent-encoded and not normalised.
    String rawPath() {
        String raw = request.getHttpURI().getPath();
        return raw == null ? "" : raw;
    }

    Caller caller() {
        return caller;
    }

    void caller(Caller c) {
        this.caller = c;
    }

    /// Whether the client accepts `mediaType` explicitly.
    boolean accepts(String mediaType) {
        return header(HttpHeader.ACCEPT).map(a -> a.toLowerCase(Locale.ROOT).contains(mediaType)).orElse(false);
    }

    /// The client certificate chain presented in the TLS handshake; empty when none.
    List<X509Certificate> peerCertificates() {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl
                && ssl.peerCertificates() != null) {
            return List.of(ssl.peerCertificates());
        }
        return List.of();
    }

    /// The JSON body: refuses other media types (415), bodies over the limit (413) and empty bodies (400).
    byte[] jsonBody() throws ProblemException {
        return jsonBody(maxBodyBytes);
    }

    /// As [#jsonBody()], with its own size limit (for batched routes whose bodies are larger by design).
    byte[] jsonBody(int limit) throws ProblemException {
        String type = header(HttpHeader.CONTENT_TYPE).orElse("");
        String base = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json")) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    type.isEmpty() ? "missing Content-Type; send application/json" : "send application/json, not " + type);
        }
        long declared = request.getLength();
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > limit) {
                drain(in, declared);
                throw tooLarge(limit);
            }
            body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                drain(in, Long.MAX_VALUE);
                throw tooLarge(limit);
            }
        } catch (IOException | RuntimeException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the request body could not be read");
        }
        if (body.length == 0) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the request body is empty");
        }
        return body;
    }

    /// The body as sent, whatever its media type; refuses bodies over `limit` bytes (413). May be empty.
    byte[] rawBody(int limit) throws ProblemException {
        long declared = request.getLength();
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > limit) {
                drain(in, declared);
                throw tooLarge(limit);
            }
            body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                drain(in, Long.MAX_VALUE);
                throw tooLarge(limit);
            }
        } catch (IOException | RuntimeException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the request body could not be read");
        }
        return body;
    }

    /// Reads and discards an oversized body of up to [#DRAIN_LIMIT] bytes so the client, still sending, gets
    /// the 413 rather than a reset connection; a body declared larger is not waited for.
    private static void drain(InputStream in, long declared) throws IOException {
        if (declared <= DRAIN_LIMIT) {
            long skipped = 0;
            byte[] sink = new byte[8192];
            int n;
            while (skipped < DRAIN_LIMIT && (n = in.read(sink)) > 0) {
                skipped += n;
            }
        }
    }

    private static ProblemException tooLarge(int limit) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "request bodies are limited to " + limit
                + " bytes");
    }
}
