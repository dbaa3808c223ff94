package io.certwright.store;

import java.io.Serial;

/// The database could not be opened or migrated.
public final class StoreException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
