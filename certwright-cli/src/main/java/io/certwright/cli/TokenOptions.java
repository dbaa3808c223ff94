package io.certwright.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/// The API token a request is authenticated with: `--token-file`, `--token`, or `CERTWRIGHT_TOKEN`.
final class TokenOptions {

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File whose first line is the API or enrollment token.")
    @Nullable Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API or enrollment token (visible to other local users in the process list; prefer "
                    + "--token-file or " + ClientHome.TOKEN_VARIABLE + ").")
    @Nullable String token;

    /// Whether `--token` or `--token-file` was given.
    boolean given() {
        return token != null || tokenFile != null;
    }

    /// The token from the options, else from the environment.
    Optional<String> token(Map<String, String> environment) throws IOException, CliException {
        if (token != null && tokenFile != null) {
            throw new CliException("pass either --token or --token-file, not both");
        }
        if (token != null) {
            return Optional.of(nonEmpty(token.strip(), "--token"));
        }
        if (tokenFile != null) {
            String first = Files.readString(tokenFile).lines().findFirst().orElse("").strip();
            return Optional.of(nonEmpty(first, tokenFile.toString()));
        }
        String fromEnvironment = environment.get(ClientHome.TOKEN_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(fromEnvironment.strip());
        }
        return Optional.empty();
    }

    /// The token, or a message saying how to pass one.
    String require(Map<String, String> environment) throws IOException, CliException {
        return token(environment).orElseThrow(() -> new CliException("no API token: pass --token-file FILE or "
                + "--token TOKEN, or set " + ClientHome.TOKEN_VARIABLE));
    }

    private static String nonEmpty(String value, String source) throws CliException {
        if (value.isEmpty()) {
            throw new CliException("the token in " + source + " is empty");
        }
        return value;
    }
}
