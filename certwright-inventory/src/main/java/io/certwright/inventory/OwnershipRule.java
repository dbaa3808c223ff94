package io.certwright.inventory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/// One ownership rule: when the certificate or a place it was seen at matches, it gets this owner and these
/// labels.
///
/// @param name a name for the rule, recorded on the certificates it assigns
/// @param match what must match
/// @param owner the owner to assign
/// @param labels the labels to assign
public record OwnershipRule(String name, Match match, String owner, SortedMap<String, String> labels) {

    public OwnershipRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(owner, "owner");
        if (owner.isBlank()) {
            throw new IllegalArgumentException("rule '" + name + "' has no owner");
        }
        labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /// A rule with labels given as a map in any order.
    public static OwnershipRule of(String name, Match match, String owner, Map<String, String> labels) {
        return new OwnershipRule(name, match, owner, new TreeMap<>(labels));
    }

    /// What a rule matches.
    public sealed interface Match permits SanMatch, SpiffeIdMatch, EndpointMatch {

        /// Whether the certificate, seen at `places`, matches.
        boolean test(CertificateFacts facts, List<Place> places);
    }

    /// Matches when any DNS or IP subject alternative name matches the pattern.
    ///
    /// @param pattern a DNS glob
    public record SanMatch(NamePattern pattern) implements Match {
        @Override
        public boolean test(CertificateFacts facts, List<Place> places) {
            return facts.dnsNames().stream().anyMatch(pattern::matches)
                    || facts.ipAddresses().stream().anyMatch(pattern::matches);
        }
    }

    /// Matches when the certificate's SPIFFE ID matches the pattern.
    ///
    /// @param pattern a SPIFFE ID glob
    public record SpiffeIdMatch(NamePattern pattern) implements Match {
        @Override
        public boolean test(CertificateFacts facts, List<Place> places) {
            return facts.spiffeId().filter(pattern::matches).isPresent();
        }
    }

    /// Matches when the certificate was seen at an endpoint whose `host:port` (or SNI name and port) matches.
    ///
    /// @param pattern an endpoint glob
    public record EndpointMatch(NamePattern pattern) implements Match {
        @Override
        public boolean test(CertificateFacts facts, List<Place> places) {
            for (Place place : places) {
                if (place instanceof Place.Endpoint e && (pattern.matches(e.host() + ":" + e.port())
                        || pattern.matches(e.serverName() + ":" + e.port()))) {
                    return true;
                }
            }
            return false;
        }
    }
}
