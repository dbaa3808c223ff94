package io.certwright.server;

import java.io.Serial;

/// The configuration is invalid: an unknown key, a value of the wrong form, or an unreadable file. The
/// message names the key (and the environment variable, when that is where the value came from).
public final class ConfigException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
