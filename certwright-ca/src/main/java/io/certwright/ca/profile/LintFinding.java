package io.certwright.ca.profile;

/// One lint rule a to-be-signed certificate breaks.
///
/// @param rule the rule broken
/// @param detail what in the certificate breaks it
public record LintFinding(LintRule rule, String detail) {

    @Override
    public String toString() {
        return rule.ruleName() + ": " + detail;
    }
}
