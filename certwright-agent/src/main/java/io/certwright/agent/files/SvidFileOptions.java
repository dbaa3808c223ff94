package io.certwright.agent.files;

import io.certwright.core.SpiffeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/// Where to write which SVID, and what to run afterwards.
///
/// @param directory the directory receiving `svid.pem`, `svid.key` and `bundle.pem`
/// @param spiffeId the SPIFFE ID of the delegated registration entry whose SVID is written
/// @param reloadCommand run with `sh -c` after each write, such as `systemctl reload nginx`
/// @param reloadTimeout how long the reload command may run before it is killed
public record SvidFileOptions(Path directory, SpiffeId spiffeId, Optional<String> reloadCommand,
        Duration reloadTimeout) {

    /// Default limit on the reload command's run time.
    public static final Duration DEFAULT_RELOAD_TIMEOUT = Duration.ofSeconds(30);

    public SvidFileOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(reloadCommand, "reloadCommand");
        if (reloadTimeout.isNegative() || reloadTimeout.isZero()) {
            throw new IllegalArgumentException("reloadTimeout must be positive: " + reloadTimeout);
        }
    }
}
