package io.certwright.inventory.status;

import io.certwright.inventory.Ownership;
import java.util.List;
import java.util.Objects;

/// Which expiry thresholds apply to a certificate: the first override whose selector matches its ownership,
/// else the defaults.
///
/// @param defaults thresholds for every certificate no override selects
/// @param overrides per-owner or per-label thresholds, tried in order
public record ThresholdPolicy(ExpiryThresholds defaults, List<ThresholdOverride> overrides) {

    public ThresholdPolicy {
        Objects.requireNonNull(defaults, "defaults");
        overrides = List.copyOf(overrides);
    }

    /// The default thresholds for everyone, no overrides.
    public static ThresholdPolicy standard() {
        return new ThresholdPolicy(ExpiryThresholds.defaults(), List.of());
    }

    /// The thresholds for a certificate with this ownership.
    public ExpiryThresholds thresholdsFor(Ownership ownership) {
        for (ThresholdOverride o : overrides) {
            if (o.selector().matches(ownership)) {
                return o.thresholds();
            }
        }
        return defaults;
    }

    /// Every distinct threshold list this policy can return, defaults first.
    public List<ExpiryThresholds> all() {
        java.util.LinkedHashSet<ExpiryThresholds> all = new java.util.LinkedHashSet<>();
        all.add(defaults);
        overrides.forEach(o -> all.add(o.thresholds()));
        return List.copyOf(all);
    }

    /// Thresholds for the certificates a selector picks.
    ///
    /// @param selector which certificates
    /// @param thresholds their thresholds
    public record ThresholdOverride(Selector selector, ExpiryThresholds thresholds) {
        public ThresholdOverride {
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(thresholds, "thresholds");
        }
    }

    /// Picks certificates by ownership.
    public sealed interface Selector permits OwnerIs, LabelIs {

        /// Whether a certificate with this ownership is picked.
        boolean matches(Ownership ownership);
    }

    /// Picks the certificates of one owner.
    ///
    /// @param owner the owner
    public record OwnerIs(String owner) implements Selector {
        @Override
        public boolean matches(Ownership ownership) {
            return ownership.owner().filter(owner::equals).isPresent();
        }
    }

    /// Picks the certificates with one label value, such as `environment=production`.
    ///
    /// @param key the label key
    /// @param value the label value
    public record LabelIs(String key, String value) implements Selector {
        @Override
        public boolean matches(Ownership ownership) {
            return ownership.label(key).filter(value::equals).isPresent();
        }
    }
}
