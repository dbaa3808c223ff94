package io.certwright.ca.audit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/// Something that happened and must be accountable: who did what to which object, and how it ended.
///
/// @param actor who acted: `token:<id>`, `provisioner:<name>`, `cert:<serial>` (mTLS), `cli`, `system`, or
///     `anonymous:<address>` for unauthenticated callers
/// @param action what was attempted, such as `certificate.issue` or `token.create`
/// @param target the object acted on (a serial, token id, provisioner name), empty when none
/// @param outcome whether it succeeded or was refused
/// @param details further facts as text, sorted by key; never secrets
public record AuditEvent(String actor, String action, String target, Outcome outcome, Map<String, String> details) {

    /// How an audited action ended.
    public enum Outcome {
        SUCCESS("success"),
        REFUSED("refused"),
        FAILED("failed");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Outcome parse(String wire) {
            for (Outcome o : values()) {
                if (o.wireName.equals(wire)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown audit outcome '" + wire + "'");
        }
    }

    public AuditEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }

    public static AuditEvent success(String actor, String action, String target, Map<String, String> details) {
        return new AuditEvent(actor, action, target, Outcome.SUCCESS, details);
    }

    public static AuditEvent refused(String actor, String action, String target, Map<String, String> details) {
        return new AuditEvent(actor, action, target, Outcome.REFUSED, details);
    }
}
