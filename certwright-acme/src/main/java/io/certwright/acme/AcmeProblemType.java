package io.certwright.acme;

/// Every ACME error type (RFC 8555 section 6.7, RFC 8738, RFC 9773), with the HTTP status it is answered
/// with: the one place that decides both.
public enum AcmeProblemType {
    ACCOUNT_DOES_NOT_EXIST("accountDoesNotExist", 400),
    ALREADY_REPLACED("alreadyReplaced", 409),
    ALREADY_REVOKED("alreadyRevoked", 400),
    BAD_CSR("badCSR", 400),
    BAD_NONCE("badNonce", 400),
    BAD_PUBLIC_KEY("badPublicKey", 400),
    BAD_REVOCATION_REASON("badRevocationReason", 400),
    BAD_SIGNATURE_ALGORITHM("badSignatureAlgorithm", 400),
    CAA("caa", 403),
    COMPOUND("compound", 403),
    CONNECTION("connection", 400),
    DNS("dns", 400),
    EXTERNAL_ACCOUNT_REQUIRED("externalAccountRequired", 401),
    INCORRECT_RESPONSE("incorrectResponse", 403),
    INVALID_CONTACT("invalidContact", 400),
    MALFORMED("malformed", 400),
    ORDER_NOT_READY("orderNotReady", 403),
    RATE_LIMITED("rateLimited", 429),
    REJECTED_IDENTIFIER("rejectedIdentifier", 400),
    SERVER_INTERNAL("serverInternal", 500),
    TLS("tls", 400),
    UNAUTHORIZED("unauthorized", 403),
    UNSUPPORTED_CONTACT("unsupportedContact", 400),
    UNSUPPORTED_IDENTIFIER("unsupportedIdentifier", 400),
    USER_ACTION_REQUIRED("userActionRequired", 403);

    private static final String PREFIX = "urn:ietf:params:acme:error:";

    private final String name;
    private final int status;

    AcmeProblemType(String name, int status) {
        this.name = name;
        this.status = status;
    }

    /// The full type URN, e.g. `urn:ietf:params:acme:error:badNonce`.
    public String urn() {
        return PREFIX + name;
    }

    /// The HTTP status a response with this problem carries.
    public int status() {
        return status;
    }
}
