package io.certwright.acme.validation;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.Identifier;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/// dns-01 (RFC 8555 section 8.4): the TXT records at `_acme-challenge.<name>` (for a wildcard, of its base
/// name), following CNAMEs, must include base64url(SHA-256(key authorization)) without padding. The strings
/// of one TXT record are joined before comparing; any one matching record suffices.
///
/// NXDOMAIN, SERVFAIL, a CNAME loop or no answer in time is `dns`; a name with no TXT record or with none
/// that matches is `incorrectResponse`, listing (cut and escaped) what was found. IP identifiers cannot use
/// dns-01 (RFC 8738 section 7): `malformed`.
final class Dns01Validator {

    static final String PREFIX = "_acme-challenge.";
    private static final int MAX_LISTED = 5;

    private final DnsLookups dns;

    Dns01Validator(DnsLookups dns) {
        this.dns = dns;
    }

    void validate(Identifier identifier, String keyAuthorization, Attempt attempt)
            throws ValidationFailure, InterruptedException {
        if (identifier.type() != Identifier.Type.DNS) {
            throw new ValidationFailure(AcmeProblemType.MALFORMED,
                    "dns-01 cannot validate the IP address " + identifier.value());
        }
        String base = identifier.isWildcard() ? identifier.value().substring(2) : identifier.value();
        String name = PREFIX + base;
        String expected = digest(keyAuthorization);
        List<String> found = dns.txt(name, attempt);
        if (found.contains(expected)) {
            return;
        }
        if (found.isEmpty()) {
            throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                    dns.server() + " has no TXT record at " + name);
        }
        String listed = found.stream().limit(MAX_LISTED).map(Printable::quote).collect(Collectors.joining(", "));
        throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE, dns.server() + " has " + found.size()
                + " TXT record(s) at " + name + " and none is " + Printable.quote(expected) + "; found "
                + listed + (found.size() > MAX_LISTED ? ", ..." : ""));
    }

    /// base64url(SHA-256(`keyAuthorization`)) without padding: the TXT value dns-01 looks for.
    static String digest(String keyAuthorization) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(TlsAlpn01Validator.sha256(keyAuthorization));
    }
}
