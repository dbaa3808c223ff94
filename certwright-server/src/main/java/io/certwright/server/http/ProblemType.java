package io.certwright.server.http;

/// Every error kind the API answers with, as RFC 9457 problem types: the wire name (last segment of the
/// `type` URI), the HTTP status and the title, kept together so they cannot drift apart.
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", 400, "Malformed request"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    TOKEN_USED("token-used", 401, "Enrollment token already used"),
    TOKEN_EXPIRED("token-expired", 401, "Token expired"),
    FORBIDDEN("forbidden", 403, "Not allowed for this caller"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    WRONG_STATE("wrong-state", 409, "Wrong state"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    POLICY_REFUSED("policy-refused", 403, "Refused by policy"),
    RATE_LIMITED("rate-limited", 429, "Too many failed authentications"),
    NOT_READY("not-ready", 503, "Not ready"),
    INTERNAL("internal", 500, "Internal error");

    /// Prefix of every problem type URI.
    public static final String BASE = "https://certwright.io/problems/";

    private final String wireName;
    private final int status;
    private final String title;

    ProblemType(String wireName, int status, String title) {
        this.wireName = wireName;
        this.status = status;
        this.title = title;
    }

    public String wireName() {
        return wireName;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /// The `type` URI, e.g. `https://certwright.io/problems/token-used`.
    public String uri() {
        return BASE + wireName;
    }

    /// The problem type for an HTTP status Jetty produced itself (bad URI, oversized headers, ...).
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL;
        };
    }
}
