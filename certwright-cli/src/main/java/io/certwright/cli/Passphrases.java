package io.certwright.cli;

import io.certwright.ca.keys.Passphrase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// Where the CA passphrase comes from: `--passphrase-file`, then [Passphrase#ENVIRONMENT_VARIABLE], then
/// a prompt on the terminal.
final class Passphrases {

    static final String NONE = "no CA passphrase: set " + Passphrase.ENVIRONMENT_VARIABLE
            + ", pass --passphrase-file, or run in a terminal";

    private Passphrases() {
    }

    static Passphrase resolve(@Nullable Path file, Map<String, String> environment, boolean confirm)
            throws IOException, CliException {
        if (file != null) {
            return Passphrase.fromFile(file);
        }
        Optional<Passphrase> fromEnvironment = Passphrase.fromEnvironment(environment);
        if (fromEnvironment.isPresent()) {
            return fromEnvironment.get();
        }
        Optional<Passphrase> prompted = Passphrase.prompt(confirm ? "New CA passphrase" : "CA passphrase", confirm);
        if (prompted.isPresent()) {
            return prompted.get();
        }
        throw new CliException(NONE);
    }
}
