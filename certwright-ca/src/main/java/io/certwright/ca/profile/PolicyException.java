package io.certwright.ca.profile;

import java.io.Serial;
import java.util.List;
import java.util.stream.Collectors;

/// A request the CA refuses. Carries every [Refusal] found, so a caller can fix all problems at once.
public class PolicyException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<Refusal> refusals;

    public PolicyException(List<Refusal> refusals) {
        super(message(refusals));
        if (refusals.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs at least one reason");
        }
        this.refusals = List.copyOf(refusals);
    }

    public PolicyException(PolicyRule rule, String detail) {
        this(List.of(new Refusal(rule, detail)));
    }

    public List<Refusal> refusals() {
        return refusals;
    }

    /// The first refusal's rule, for callers that map one rule to one protocol error.
    public PolicyRule rule() {
        return refusals.getFirst().rule();
    }

    private static String message(List<Refusal> refusals) {
        return refusals.stream().map(Refusal::toString).collect(Collectors.joining("; "));
    }
}
