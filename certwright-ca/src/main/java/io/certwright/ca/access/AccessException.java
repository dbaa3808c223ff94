package io.certwright.ca.access;

import java.io.Serial;

/// Storage of tokens or provisioners failed, or a name is already taken.
public final class AccessException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public AccessException(String message, Throwable cause) {
        super(message, cause);
    }

    public AccessException(String message) {
        super(message);
    }
}
