package io.certwright.inventory;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/// Who owns a certificate and how it is labelled, and where that came from.
///
/// Labels are free-form `key=value` pairs; `team`, `service` and `environment` are the ones reports and
/// threshold overrides use.
///
/// @param owner the owner (a team name or a mailbox), empty when nobody is known
/// @param labels labels by key, sorted
/// @param source whether a rule, a person, or nothing assigned it
/// @param rule the name of the rule that assigned it, when `source` is [Source#RULE]
public record Ownership(Optional<String> owner, SortedMap<String, String> labels, Source source, Optional<String> rule) {

    /// Label key naming the team.
    public static final String TEAM = "team";
    /// Label key naming the service.
    public static final String SERVICE = "service";
    /// Label key naming the environment.
    public static final String ENVIRONMENT = "environment";

    /// Where an ownership came from.
    public enum Source {
        /// No rule matched and nobody assigned one.
        NONE,
        /// An ownership rule matched.
        RULE,
        /// A person set it for this certificate; rules never overwrite it.
        MANUAL
    }

    public Ownership {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(rule, "rule");
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        owner = owner.filter(o -> !o.isBlank());
    }

    /// No owner, no labels.
    public static Ownership none() {
        return new Ownership(Optional.empty(), new TreeMap<>(), Source.NONE, Optional.empty());
    }

    /// An ownership a person set; rules leave it alone.
    public static Ownership manual(String owner, Map<String, String> labels) {
        return new Ownership(Optional.of(owner), new TreeMap<>(labels), Source.MANUAL, Optional.empty());
    }

    /// Whether a person set this ownership.
    public boolean manual() {
        return source == Source.MANUAL;
    }

    /// The value of one label.
    public Optional<String> label(String key) {
        return Optional.ofNullable(labels.get(key));
    }
}
