package io.certwright.server.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/// A response about to be written: status, media type (none when empty), body and extra headers, plus
/// headers that repeat (ACME's `Link`). The body array is handed straight to Jetty and never modified after
/// construction.
@SuppressWarnings("ArrayRecordComponent")
record Reply(int status, String contentType, byte[] body, Map<String, String> headers,
        List<Map.Entry<String, String>> repeatedHeaders) {

    static final String JSON = "application/json";
    static final String PROBLEM = "application/problem+json";
    static final String PEM_CHAIN = "application/pem-certificate-chain";

    Reply {
        headers = Map.copyOf(headers);
        repeatedHeaders = List.copyOf(repeatedHeaders);
    }

    Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, List.of());
    }

    static Reply json(int status, Object value) {
        return new Reply(status, JSON, Wire.write(value), Map.of());
    }

    static Reply text(int status, String contentType, String text) {
        return new Reply(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Reply noContent() {
        return new Reply(204, JSON, new byte[0], Map.of());
    }

    static Reply problem(ProblemException e, String instance) {
        var refusals = e.type() == ProblemType.POLICY_REFUSED
                ? e.refusals().stream().map(Wire.RefusalView::of).toList() : null;
        var p = new Wire.Problem(e.type().uri(), e.type().title(), e.type().status(), e.detail(), instance, refusals);
        Map<String, String> headers = e.type() == ProblemType.RATE_LIMITED ? Map.of("Retry-After", "60") : Map.of();
        return new Reply(e.type().status(), PROBLEM, Wire.write(p), headers);
    }
}
