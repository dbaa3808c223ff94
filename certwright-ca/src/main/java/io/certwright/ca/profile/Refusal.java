package io.certwright.ca.profile;

import java.util.Objects;

/// One reason a request was refused: the rule and what about the request broke it.
///
/// @param rule the rule that refused
/// @param detail what was wrong, naming the offending value
public record Refusal(PolicyRule rule, String detail) {

    public Refusal {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return rule.wireName() + ": " + detail;
    }
}
