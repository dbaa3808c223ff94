package io.certwright.server.http;

import io.certwright.ca.profile.Refusal;
import java.io.Serial;
import java.util.List;
import java.util.Objects;

/// A request the API refuses, carrying what its problem response says. Thrown anywhere on the request path
/// and rendered by [HttpEdge] alone.
public final class ProblemException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    private final transient List<Refusal> refusals;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ProblemException(ProblemType type, String detail, List<Refusal> refusals) {
        super(detail);
        this.type = Objects.requireNonNull(type, "type");
        this.refusals = List.copyOf(refusals);
    }

    public ProblemType type() {
        return type;
    }

    /// The policy refusals, for [ProblemType#POLICY_REFUSED].
    public List<Refusal> refusals() {
        return refusals;
    }

    public String detail() {
        String m = getMessage();
        return m == null ? type.title() : m;
    }
}
