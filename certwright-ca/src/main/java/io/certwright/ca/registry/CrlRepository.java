package io.certwright.ca.registry;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Port: the CRLs published for each CA, shared by every server replica.
///
/// The CRL number of a CA only ever moves up by one: [#publish] stores a CRL only when its number is
/// exactly the latest plus one, checked and stored in one transaction and backed by a unique key on
/// (CA, number). Two replicas racing to publish the same number therefore never both succeed, and neither
/// sees an exception: the loser gets [CrlPublication.Refused] with the winner's CRL. Only the most recent
/// few CRLs of each CA are kept.
public interface CrlRepository {

    /// The CA's latest CRL, the one to serve.
    Optional<PublishedCrl> latest(String caId) throws RegistryException;

    /// The CRLs kept for the CA, newest first.
    List<PublishedCrl> recent(String caId) throws RegistryException;

    /// Publishes a CRL when `number` is the CA's latest number plus one (1 when it has none), pruning CRLs
    /// beyond the most recent few.
    ///
    /// @throws IllegalArgumentException when an argument is invalid (see [PublishedCrl])
    /// @throws RegistryException when storage fails
    CrlPublication publish(String caId, BigInteger number, Instant thisUpdate, Instant nextUpdate, byte[] der)
            throws RegistryException;
}
