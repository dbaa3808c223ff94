package io.certwright.ca.access;

import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.profile.Profile;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/// A way to get certificates, and the limits of what it grants (as in step-ca).
public sealed interface Provisioner {

    /// Unique name, used in audit actors `provisioner:<name>` and in URLs.
    String name();

    /// Names certificates from this provisioner may carry.
    SanPolicy names();

    /// Profiles it may issue.
    Set<Profile> profiles();

    /// Longest lifetime it may grant (further bounded by the profile).
    Duration maxLifetime();

    /// One-time enrollment tokens, each bound to one identity (`certwright token create`).
    record Token(String name, SanPolicy names, Set<Profile> profiles, Duration maxLifetime, Duration tokenLifetime)
            implements Provisioner {
        public Token {
            Objects.requireNonNull(name, "name");
            profiles = Set.copyOf(profiles);
        }
    }

    /// Renewal of a current, unexpired, unrevoked certificate authenticated by mTLS.
    record Renew(String name, SanPolicy names, Set<Profile> profiles, Duration maxLifetime) implements Provisioner {
        public Renew {
            Objects.requireNonNull(name, "name");
            profiles = Set.copyOf(profiles);
        }
    }
}
