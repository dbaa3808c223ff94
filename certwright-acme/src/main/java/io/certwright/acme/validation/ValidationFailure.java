package io.certwright.acme.validation;

import io.certwright.acme.AcmeProblemType;

/// Ends a validation attempt with a problem: thrown inside the validators, turned into
/// [ValidationOutcome.Invalid] at their edge and never seen outside this package.
final class ValidationFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final AcmeProblemType type;

    ValidationFailure(AcmeProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    AcmeProblemType type() {
        return type;
    }

    String detail() {
        String m = getMessage();
        return m == null ? "" : m;
    }

    ValidationOutcome.Invalid outcome() {
        return new ValidationOutcome.Invalid(type, detail());
    }
}
