package io.certwright.inventory.alert;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/// Which channels an owner's notifications go to: the owner's own channels if it has any, else the defaults.
///
/// @param defaults channels for certificates without an owner or whose owner has no channels of its own
/// @param byOwner channels per owner
public record AlertRouting(List<AlertChannel> defaults, Map<String, List<AlertChannel>> byOwner) {

    public AlertRouting {
        defaults = List.copyOf(defaults);
        Map<String, List<AlertChannel>> copy = new HashMap<>();
        byOwner.forEach((owner, channels) -> copy.put(owner, List.copyOf(channels)));
        byOwner = Map.copyOf(copy);
        Map<String, AlertChannel> names = new HashMap<>();
        for (AlertChannel c : all(defaults, byOwner).values()) {
            names.put(c.name(), c);
        }
        for (AlertChannel c : defaults) {
            if (names.get(c.name()) != c) {
                throw new IllegalArgumentException("two different channels are named '" + c.name() + "'");
            }
        }
        byOwner.values().forEach(list -> list.forEach(c -> {
            if (names.get(c.name()) != c) {
                throw new IllegalArgumentException("two different channels are named '" + c.name() + "'");
            }
        }));
    }

    /// Everything to the same channels.
    public static AlertRouting everythingTo(List<AlertChannel> channels) {
        return new AlertRouting(channels, Map.of());
    }

    /// The channels for an owner.
    public List<AlertChannel> channelsFor(Optional<String> owner) {
        return owner.map(byOwner::get).orElse(defaults);
    }

    /// Every channel, by name.
    public Map<String, AlertChannel> channelsByName() {
        return all(defaults, byOwner);
    }

    private static Map<String, AlertChannel> all(List<AlertChannel> defaults, Map<String, List<AlertChannel>> byOwner) {
        Map<String, AlertChannel> all = new LinkedHashMap<>();
        defaults.forEach(c -> all.putIfAbsent(c.name(), c));
        byOwner.values().forEach(list -> list.forEach(c -> all.putIfAbsent(c.name(), c)));
        return all;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertRouting other && defaults.equals(other.defaults) && byOwner.equals(other.byOwner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaults, byOwner);
    }
}
