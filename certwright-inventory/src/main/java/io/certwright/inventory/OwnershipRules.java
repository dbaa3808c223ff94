package io.certwright.inventory;

import java.util.List;
import java.util.Optional;

/// Ordered ownership rules; the first rule that matches a certificate decides its owner and labels.
///
/// @param rules the rules, in the order they are tried
public record OwnershipRules(List<OwnershipRule> rules) {

    public OwnershipRules {
        rules = List.copyOf(rules);
    }

    /// No rules: every certificate stays unowned until someone assigns it.
    public static OwnershipRules none() {
        return new OwnershipRules(List.of());
    }

    /// The ownership the first matching rule assigns, or [Ownership#none()].
    public Ownership resolve(CertificateFacts facts, List<Place> places) {
        for (OwnershipRule rule : rules) {
            if (rule.match().test(facts, places)) {
                return new Ownership(Optional.of(rule.owner()), rule.labels(), Ownership.Source.RULE,
                        Optional.of(rule.name()));
            }
        }
        return Ownership.none();
    }

    /// The ownership a certificate should have now: a manual one is kept, anything else is recomputed.
    public Ownership apply(Ownership current, CertificateFacts facts, List<Place> places) {
        return current.manual() ? current : resolve(facts, places);
    }
}
