package io.certwright.ca.profile;

/// Pre-issuance lint rules, from RFC 5280 and the SPIFFE X509-SVID standard. The CA checks each
/// to-be-signed certificate against all of them; a violation means the CA itself has a bug, so it refuses
/// to sign rather than issue a malformed certificate.
public enum LintRule {
    VERSION_3("rfc5280.version", "certificates with extensions must be version 3"),
    SERIAL_POSITIVE("rfc5280.serial.positive", "serial number must be positive"),
    SERIAL_LENGTH("rfc5280.serial.length", "serial number must be at most 20 octets and carry at least 64 bits of entropy"),
    VALIDITY_ORDER("rfc5280.validity.order", "notBefore must precede notAfter"),
    VALIDITY_WITHIN_ISSUER("validity.within-issuer", "validity must lie inside the issuer's validity"),
    ISSUER_NAME_MATCHES("rfc5280.issuer.name", "issuer name must equal the issuer certificate's subject"),
    SUBJECT_OR_SAN("rfc5280.subject.empty-without-san", "a certificate with an empty subject must carry a SAN extension"),
    SAN_CRITICAL_WHEN_SUBJECT_EMPTY("rfc5280.san.critical", "the SAN extension must be critical when the subject is empty"),
    SAN_NOT_EMPTY("rfc5280.san.not-empty", "a SAN extension must contain at least one name"),
    SAN_DNS_SYNTAX("rfc5280.san.dns-syntax", "dNSName entries must be in preferred name syntax"),
    EXTENSIONS_UNIQUE("rfc5280.extensions.unique", "an extension may appear at most once"),
    BASIC_CONSTRAINTS_PRESENT("rfc5280.basic-constraints.present", "basic constraints must be present"),
    BASIC_CONSTRAINTS_CRITICAL("rfc5280.basic-constraints.critical", "basic constraints must be critical in CA certificates"),
    PATH_LEN_ONLY_FOR_CA("rfc5280.basic-constraints.path-len", "pathLenConstraint is only allowed when cA is true"),
    KEY_USAGE_PRESENT("rfc5280.key-usage.present", "key usage must be present"),
    KEY_USAGE_CRITICAL("key-usage.critical", "key usage must be critical"),
    KEY_USAGE_CA_CONSISTENT("rfc5280.key-usage.cert-sign", "keyCertSign must be set exactly when cA is true"),
    KEY_USAGE_MATCHES_KEY_TYPE("key-usage.key-type", "keyEncipherment only for RSA keys; no data or key encipherment for signature-only keys"),
    SKI_PRESENT("rfc5280.ski.present", "CA certificates must carry a subject key identifier"),
    AKI_PRESENT("rfc5280.aki.present", "certificates not self-signed must carry an authority key identifier"),
    AKI_MATCHES_ISSUER("rfc5280.aki.matches-issuer", "authority key identifier must equal the issuer's subject key identifier"),
    NAME_CONSTRAINTS_CRITICAL("rfc5280.name-constraints.critical", "name constraints must be critical and only in CA certificates"),
    SVID_ONE_URI_SAN("spiffe.x509-svid.one-uri-san", "an X509-SVID must contain exactly one URI SAN, a SPIFFE ID"),
    SVID_LEAF_PATH("spiffe.x509-svid.leaf-path", "a leaf SVID's SPIFFE ID must have a non-root path"),
    SVID_LEAF_NOT_CA("spiffe.x509-svid.leaf-not-ca", "a leaf SVID must set cA to false"),
    SVID_LEAF_KEY_USAGE("spiffe.x509-svid.leaf-key-usage", "a leaf SVID must set digitalSignature and must not set keyCertSign or cRLSign"),
    SVID_LEAF_EKU("spiffe.x509-svid.leaf-eku", "a leaf SVID's extended key usage must include serverAuth and clientAuth"),
    SVID_SIGNING_NO_PATH("spiffe.x509-svid.signing-no-path", "a signing certificate's SPIFFE ID must not have a path"),
    SVID_SIGNING_KEY_USAGE("spiffe.x509-svid.signing-key-usage", "a signing certificate must set keyCertSign and must not set digitalSignature"),
    SVID_TRUST_DOMAIN("spiffe.x509-svid.trust-domain", "the SPIFFE ID must be in the issuer's trust domain"),
    OCSP_SIGNING_EKU("rfc6960.ocsp-signing.eku", "id-kp-OCSPSigning belongs in OCSP signing certificates only, and they must carry it and no other purpose"),
    OCSP_SIGNING_NOCHECK("rfc6960.ocsp-signing.nocheck", "an OCSP signing certificate must carry id-pkix-ocsp-nocheck and set only digitalSignature"),
    MUST_STAPLE_NEEDS_OCSP("rfc7633.must-staple.ocsp", "a certificate with the TLS feature extension must be a TLS server leaf naming an OCSP responder");

    private final String ruleName;
    private final String description;

    LintRule(String ruleName, String description) {
        this.ruleName = ruleName;
        this.description = description;
    }

    public String ruleName() {
        return ruleName;
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return ruleName;
    }
}
