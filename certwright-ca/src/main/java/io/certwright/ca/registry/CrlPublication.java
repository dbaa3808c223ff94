package io.certwright.ca.registry;

import java.util.Objects;
import java.util.Optional;

/// The outcome of [CrlRepository#publish]: published, or refused because the number was not the next one
/// (typically another replica published it first), with what is published now.
public sealed interface CrlPublication {

    /// The CRL is now the CA's latest.
    ///
    /// @param crl what was stored
    record Published(PublishedCrl crl) implements CrlPublication {

        public Published {
            Objects.requireNonNull(crl, "crl");
        }
    }

    /// Nothing was stored: the number was not exactly the latest number plus one (or 1 for a CA with no CRL).
    ///
    /// @param latest the CA's latest CRL, which the caller should serve or build upon; empty when it has none
    record Refused(Optional<PublishedCrl> latest) implements CrlPublication {

        public Refused {
            Objects.requireNonNull(latest, "latest");
        }
    }
}
