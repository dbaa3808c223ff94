package io.certwright.ca.audit;

import java.io.Serial;

/// The audit log could not be written or read. Callers treat a failed audit append as a failed action.
public final class AuditException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
