package io.certwright.cli;

import java.io.Serial;

/// Bad input or a refused operation found by the command itself; printed as one `error:` line, exit 1.
final class CliException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}
