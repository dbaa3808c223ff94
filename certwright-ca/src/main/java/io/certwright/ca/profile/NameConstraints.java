package io.certwright.ca.profile;

import io.certwright.core.TrustDomain;
import java.util.List;

/// Permitted name subtrees written into a CA certificate ([RFC 5280 §4.2.1.10](https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.10)).
///
/// @param permittedDnsDomains DNS suffixes: `example.com` permits `example.com` and every name below it
/// @param permittedSpiffeTrustDomains trust domains written as URI subtrees, permitting `spiffe://<td>/...`
public record NameConstraints(List<String> permittedDnsDomains, List<TrustDomain> permittedSpiffeTrustDomains) {

    public NameConstraints {
        permittedDnsDomains = List.copyOf(permittedDnsDomains);
        permittedSpiffeTrustDomains = List.copyOf(permittedSpiffeTrustDomains);
    }

    public static NameConstraints none() {
        return new NameConstraints(List.of(), List.of());
    }

    public boolean isEmpty() {
        return permittedDnsDomains.isEmpty() && permittedSpiffeTrustDomains.isEmpty();
    }

    /// Whether a DNS name lies inside the permitted DNS subtrees (always true when none are set).
    public boolean permitsDns(String name) {
        if (permittedDnsDomains.isEmpty()) {
            return true;
        }
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return permittedDnsDomains.stream().anyMatch(d -> n.equals(d) || n.endsWith("." + d));
    }

    /// Whether a trust domain lies inside the permitted URI subtrees (always true when none are set).
    public boolean permitsTrustDomain(TrustDomain td) {
        return permittedSpiffeTrustDomains.isEmpty() || permittedSpiffeTrustDomains.contains(td);
    }
}
