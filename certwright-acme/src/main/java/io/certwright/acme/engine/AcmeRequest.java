package io.certwright.acme.engine;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/// One HTTP request to the ACME server, as the HTTP edge hands it over.
///
/// @param method the HTTP method, upper case
/// @param path the request path without query, starting with `/acme/`
/// @param headers the request headers; names are looked up case-insensitively
/// @param body the request body (empty for GET and HEAD)
/// @param remoteAddress the client's address, for rate limits and audit
@SuppressWarnings("ArrayRecordComponent") // copied in and out
public record AcmeRequest(String method, String path, Map<String, List<String>> headers, byte[] body,
        String remoteAddress) {

    /// Copies the headers into a case-insensitive map and the body.
    public AcmeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.merge(k, List.copyOf(v), (a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }));
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body.clone();
        method = method.toUpperCase(Locale.ROOT);
    }

    /// A request with single-valued headers.
    public static AcmeRequest of(String method, String path, Map<String, String> headers, byte[] body,
            String remoteAddress) {
        Map<String, List<String>> multi = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        return new AcmeRequest(method, path, multi, body, remoteAddress);
    }

    /// The first value of header `name`, case-insensitively.
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /// The body (a copy).
    @Override
    public byte[] body() {
        return body.clone();
    }

    /// The body's length, without copying it.
    public int bodyLength() {
        return body.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AcmeRequest r && r.method.equals(method) && r.path.equals(path)
                && r.headers.equals(headers) && java.util.Arrays.equals(r.body, body)
                && r.remoteAddress.equals(remoteAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, remoteAddress);
    }

    @Override
    public String toString() {
        return "AcmeRequest[" + method + " " + path + " from " + remoteAddress + ", " + body.length + " bytes]";
    }
}
