package io.certwright.acme;

import io.certwright.acme.store.Identifier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// A problem document (RFC 7807, RFC 8555 section 6.7): what the client is told when a request fails.
///
/// @param type the ACME error type
/// @param detail what went wrong, for a human; never secrets
/// @param status the HTTP status; the type's own status unless the RFC asks for another (a key rollover to a
///     key in use is `malformed` with 409)
/// @param identifier the identifier a subproblem is about
/// @param subproblems one problem per identifier, when a request failed for several (RFC 8555 section 6.7.1)
/// @param algorithms the accepted JWS algorithms, for `badSignatureAlgorithm`
public record AcmeProblem(AcmeProblemType type, String detail, int status, Optional<Identifier> identifier,
        List<AcmeProblem> subproblems, List<String> algorithms) {

    /// Copies the lists.
    public AcmeProblem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
        subproblems = List.copyOf(subproblems);
        algorithms = List.copyOf(algorithms);
    }

    /// A problem of `type` with its usual status.
    public static AcmeProblem of(AcmeProblemType type, String detail) {
        return new AcmeProblem(type, detail, type.status(), Optional.empty(), List.of(), List.of());
    }

    /// This problem answered with another HTTP status.
    public AcmeProblem withStatus(int next) {
        return new AcmeProblem(type, detail, next, identifier, subproblems, algorithms);
    }

    /// This problem about one identifier (as a subproblem).
    public AcmeProblem about(Identifier id) {
        return new AcmeProblem(type, detail, status, Optional.of(id), subproblems, algorithms);
    }

    /// This problem with subproblems.
    public AcmeProblem withSubproblems(List<AcmeProblem> next) {
        return new AcmeProblem(type, detail, status, identifier, next, algorithms);
    }

    /// This problem listing the accepted algorithms.
    public AcmeProblem withAlgorithms(List<String> next) {
        return new AcmeProblem(type, detail, status, identifier, subproblems, next);
    }
}
