package io.certwright.ca.profile;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/// Certificate profiles: what a certificate of each kind must and must not contain.
///
/// | profile | names required | EKU | CA |
/// |---|---|---|---|
/// | `svid` | exactly one URI SAN, a SPIFFE ID with a path | serverAuth, clientAuth | no |
/// | `server` | at least one DNS name or IP address | serverAuth | no |
/// | `client` | at least one name of any kind | clientAuth | no |
/// | `mtls` | at least one name of any kind | serverAuth, clientAuth | no |
/// | `ocsp-signer` | none (a common name) | OCSPSigning, with id-pkix-ocsp-nocheck | no |
/// | `intermediate` | none | none | yes, pathLen 0 |
///
/// `root` is used only when a CA is created. `ocsp-signer` is the delegated OCSP signing certificate the
/// CA issues to its own responder ([RFC 6960 §4.2.2.2](https://www.rfc-editor.org/rfc/rfc6960#section-4.2.2.2)).
public enum Profile {
    SVID("svid", false, true, true, Duration.ofDays(30)),
    SERVER("server", false, true, false, Duration.ofDays(90)),
    CLIENT("client", false, false, true, Duration.ofDays(90)),
    MTLS("mtls", false, true, true, Duration.ofDays(90)),
    OCSP_SIGNER("ocsp-signer", false, false, false, Duration.ofDays(7)),
    INTERMEDIATE("intermediate", true, false, false, Duration.ofDays(5 * 365)),
    ROOT("root", true, false, false, Duration.ofDays(30 * 365));

    private final String wireName;
    private final boolean ca;
    private final boolean serverAuth;
    private final boolean clientAuth;
    private final Duration defaultMaxLifetime;

    Profile(String wireName, boolean ca, boolean serverAuth, boolean clientAuth, Duration defaultMaxLifetime) {
        this.wireName = wireName;
        this.ca = ca;
        this.serverAuth = serverAuth;
        this.clientAuth = clientAuth;
        this.defaultMaxLifetime = defaultMaxLifetime;
    }

    /// Parses a profile name a caller may request (`root` is not one of them).
    public static Profile parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).trim();
        for (Profile p : values()) {
            if (p.wireName.equals(n) && p != ROOT) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + name + "'; expected one of " + names());
    }

    /// Names of the profiles a caller may request, comma-separated.
    public static String names() {
        return Arrays.stream(values()).filter(p -> p != ROOT).map(Profile::wireName)
                .collect(Collectors.joining(", "));
    }

    public String wireName() {
        return wireName;
    }

    /// Whether certificates of this profile are CA (signing) certificates.
    public boolean isCa() {
        return ca;
    }

    /// Whether the certificate carries the id-kp-serverAuth extended key usage.
    public boolean serverAuth() {
        return serverAuth;
    }

    /// Whether the certificate carries the id-kp-clientAuth extended key usage.
    public boolean clientAuth() {
        return clientAuth;
    }

    /// Whether certificates of this profile may carry the TLS feature extension (must-staple): leaf
    /// certificates a TLS server presents.
    public boolean mayStaple() {
        return !ca && serverAuth;
    }

    /// Longest lifetime a CA grants this profile unless configured otherwise.
    public Duration defaultMaxLifetime() {
        return defaultMaxLifetime;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
