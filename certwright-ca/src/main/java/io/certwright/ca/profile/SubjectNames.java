package io.certwright.ca.profile;

import io.certwright.core.SpiffeId;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// The subject alternative names of a certificate, by kind. SPIFFE IDs are URI SANs with scheme `spiffe`.
///
/// @param dns dNSName entries
/// @param ips iPAddress entries
/// @param uris uniformResourceIdentifier entries, SPIFFE IDs included
/// @param emails rfc822Name entries
public record SubjectNames(List<String> dns, List<InetAddress> ips, List<URI> uris, List<String> emails) {

    public SubjectNames {
        dns = List.copyOf(dns);
        ips = List.copyOf(ips);
        uris = List.copyOf(uris);
        emails = List.copyOf(emails);
    }

    public static SubjectNames none() {
        return new SubjectNames(List.of(), List.of(), List.of(), List.of());
    }

    public static SubjectNames ofSpiffeId(SpiffeId id) {
        return new SubjectNames(List.of(), List.of(), List.of(URI.create(id.toString())), List.of());
    }

    public boolean isEmpty() {
        return dns.isEmpty() && ips.isEmpty() && uris.isEmpty() && emails.isEmpty();
    }

    /// URI SANs whose scheme is `spiffe`, parsed; an unparsable one is left out (policy refuses it separately).
    public List<SpiffeId> spiffeIds() {
        List<SpiffeId> out = new ArrayList<>();
        for (URI u : uris) {
            if ("spiffe".equals(u.getScheme()) && SpiffeId.isValid(u.toString())) {
                out.add(SpiffeId.parse(u.toString()));
            }
        }
        return out;
    }

    /// The single SPIFFE ID, if exactly one URI SAN is present and it is a SPIFFE ID.
    public Optional<SpiffeId> spiffeId() {
        List<SpiffeId> ids = spiffeIds();
        return uris.size() == 1 && ids.size() == 1 ? Optional.of(ids.getFirst()) : Optional.empty();
    }

    /// Every name as text, in SAN order (DNS, IP, URI, email), for logs and ledgers.
    public List<String> all() {
        List<String> out = new ArrayList<>(dns);
        ips.forEach(ip -> out.add(ip.getHostAddress()));
        uris.forEach(u -> out.add(u.toString()));
        out.addAll(emails);
        return out;
    }
}
