package io.certwright.ca;

import java.io.Serial;

/// The ledger could not record durably; the CA then refuses to sign.
public final class LedgerException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
