package io.certwright.ca.profile;

/// The rules a request can break. The wire name is what errors, audit entries and exit messages print.
public enum PolicyRule {
    CSR_MALFORMED("csr.malformed", "the CSR is not a valid PKCS#10 request"),
    CSR_SIGNATURE("csr.signature", "the CSR signature does not verify with its own public key (no proof of possession)"),
    CSR_CA_REQUESTED("csr.ca-requested", "the CSR asks for a CA certificate"),
    CSR_UNKNOWN_CRITICAL_EXTENSION("csr.unknown-critical-extension", "the CSR requests a critical extension this CA does not understand"),
    KEY_TYPE("key.type", "the public key type or size is not allowed"),
    SAN_MISSING("san.missing", "the profile needs names the request does not have"),
    SAN_DNS("san.dns", "a DNS name is invalid or not allowed"),
    SAN_IP("san.ip", "an IP address is not allowed"),
    SAN_URI("san.uri", "a URI is invalid or not allowed"),
    SAN_EMAIL("san.email", "an email address is invalid or not allowed"),
    SAN_SPIFFE_ID("san.spiffe-id", "a SPIFFE ID is invalid or not allowed"),
    PROFILE_NAMES("profile.names", "the names do not fit the profile"),
    SUBJECT_COMMON_NAME("subject.common-name", "the common name is invalid"),
    TTL_BELOW_MINIMUM("ttl.minimum", "the requested lifetime is below the profile minimum"),
    TTL_ABOVE_MAXIMUM("ttl.maximum", "the requested lifetime is above the profile maximum"),
    ISSUER_EXPIRY("ttl.issuer-expiry", "the certificate would outlive its issuer"),
    LINT("lint", "the certificate about to be signed breaks a pre-issuance lint rule");

    private final String wireName;
    private final String summary;

    PolicyRule(String wireName, String summary) {
        this.wireName = wireName;
        this.summary = summary;
    }

    public String wireName() {
        return wireName;
    }

    public String summary() {
        return summary;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
