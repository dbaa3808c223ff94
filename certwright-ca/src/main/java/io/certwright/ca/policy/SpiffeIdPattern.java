package io.certwright.ca.policy;

import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.util.List;
import java.util.Objects;

/// A pattern for SPIFFE IDs: a literal trust domain and a path whose segments are literals or wildcards.
///
/// - `*` as a segment matches exactly one segment (`spiffe://example.org/ns/*/sa/*`);
/// - `**` as the last segment matches one or more remaining segments (`spiffe://example.org/ns/pay/**`);
/// - `spiffe://example.org/**` therefore admits every workload ID of the trust domain, but not the
///   trust domain's own ID, which no leaf may carry.
///
/// @param trustDomain the trust domain IDs must belong to
/// @param segments the path segments of the pattern
public record SpiffeIdPattern(TrustDomain trustDomain, List<String> segments) {

    public SpiffeIdPattern {
        Objects.requireNonNull(trustDomain, "trustDomain");
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a SPIFFE ID pattern needs at least one path segment");
        }
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.equals("**") && i != segments.size() - 1) {
                throw new IllegalArgumentException("'**' may only be the last segment of a SPIFFE ID pattern");
            }
            if (!s.equals("*") && !s.equals("**")) {
                SpiffeId.parse("spiffe://" + trustDomain.name() + "/" + s);
            }
        }
    }

    /// Parses `spiffe://<trust-domain>/<segment>/...` where segments may be `*` or a final `**`.
    public static SpiffeIdPattern parse(String text) {
        String t = text.trim();
        if (!t.startsWith(SpiffeId.SCHEME_PREFIX)) {
            throw new IllegalArgumentException("invalid SPIFFE ID pattern '" + text + "': scheme is missing or invalid");
        }
        String rest = t.substring(SpiffeId.SCHEME_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("invalid SPIFFE ID pattern '" + text + "': path is missing (use /** for any path)");
        }
        TrustDomain td = new TrustDomain(rest.substring(0, slash));
        return new SpiffeIdPattern(td, List.of(rest.substring(slash + 1).split("/", -1)));
    }

    /// Whether `id` is admitted by this pattern.
    public boolean matches(SpiffeId id) {
        if (!id.trustDomain().equals(trustDomain)) {
            return false;
        }
        List<String> idSegments = id.segments();
        for (int i = 0; i < segments.size(); i++) {
            String p = segments.get(i);
            if (p.equals("**")) {
                return idSegments.size() > i;
            }
            if (i >= idSegments.size()) {
                return false;
            }
            if (!p.equals("*") && !p.equals(idSegments.get(i))) {
                return false;
            }
        }
        return idSegments.size() == segments.size();
    }

    @Override
    public String toString() {
        return SpiffeId.SCHEME_PREFIX + trustDomain.name() + "/" + String.join("/", segments);
    }
}
