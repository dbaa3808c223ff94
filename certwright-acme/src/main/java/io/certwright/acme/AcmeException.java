package io.certwright.acme;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/// A request the ACME server refuses, carrying the problem document to answer with and, where the RFC asks
/// for them, a `Location` (the existing account of a key) or a `Retry-After` (rate limits).
public final class AcmeException extends Exception {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialised
    private final AcmeProblem problem;
    @SuppressWarnings("serial")
    private final Optional<String> location;
    @SuppressWarnings("serial")
    private final Optional<Duration> retryAfter;

    /// A refusal with the given problem and response headers.
    public AcmeException(AcmeProblem problem, Optional<String> location, Optional<Duration> retryAfter) {
        super(problem.type().urn() + ": " + problem.detail());
        this.problem = Objects.requireNonNull(problem, "problem");
        this.location = Objects.requireNonNull(location, "location");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /// A refusal with the given problem.
    public AcmeException(AcmeProblem problem) {
        this(problem, Optional.empty(), Optional.empty());
    }

    /// A refusal of `type` with its usual status.
    public static AcmeException of(AcmeProblemType type, String detail) {
        return new AcmeException(AcmeProblem.of(type, detail));
    }

    /// The problem document.
    public AcmeProblem problem() {
        return problem;
    }

    /// The `Location` to answer with, if any.
    public Optional<String> location() {
        return location;
    }

    /// The `Retry-After` to answer with, if any.
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
