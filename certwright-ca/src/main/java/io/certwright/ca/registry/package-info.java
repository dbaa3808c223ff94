/// The certificate registry: every certificate the CA recorded, with its status, queryable for the API,
/// expiry tracking and revocation, and the CRLs published from it. [CertificateRepository] and
/// [CrlRepository] are the ports; the store module implements them on the same tables as the ledger.
@NullMarked
package io.certwright.ca.registry;

import org.jspecify.annotations.NullMarked;
