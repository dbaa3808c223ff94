package io.certwright.ca.workload;

import java.io.Serial;

/// Storage of entries, join tokens or agents failed, or an identifier is already taken.
public final class WorkloadException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }

    public WorkloadException(String message) {
        super(message);
    }
}
