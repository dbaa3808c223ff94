package io.certwright.ca.inspect;

import java.util.List;
import java.util.Objects;

/// One certificate extension, decoded into readable values.
///
/// Values follow the conventions of `openssl x509 -text`: `CA:TRUE`, `pathlen:0`, `Digital Signature`,
/// `DNS:example.com`, `IP:10.0.0.0/8`, `URI:spiffe://example.org`, `OCSP - URI:http://...`. An extension
/// that cannot be decoded has one value starting with `malformed`.
///
/// @param oid the extension's object identifier
/// @param name its readable name, or the OID when unknown
/// @param critical whether it is marked critical
/// @param values decoded content, one entry per item
public record ExtensionInfo(String oid, String name, boolean critical, List<String> values) {

    public static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    public static final String KEY_USAGE = "2.5.29.15";
    public static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";
    public static final String ISSUER_ALTERNATIVE_NAME = "2.5.29.18";
    public static final String BASIC_CONSTRAINTS = "2.5.29.19";
    public static final String NAME_CONSTRAINTS = "2.5.29.30";
    public static final String CRL_DISTRIBUTION_POINTS = "2.5.29.31";
    public static final String CERTIFICATE_POLICIES = "2.5.29.32";
    public static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    public static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    public static final String AUTHORITY_INFORMATION_ACCESS = "1.3.6.1.5.5.7.1.1";

    public ExtensionInfo {
        Objects.requireNonNull(oid, "oid");
        Objects.requireNonNull(name, "name");
        values = List.copyOf(values);
    }
}
