package io.certwright.ca;

import java.io.Serial;

/// CA material or configuration that cannot be used: a missing file, a certificate that is not a CA,
/// an intermediate not signed by the root, a key that does not match its certificate.
public final class CaException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public CaException(String message) {
        super(message);
    }

    public CaException(String message, Throwable cause) {
        super(message, cause);
    }
}
