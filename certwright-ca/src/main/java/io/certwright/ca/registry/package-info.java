/// The certificate registry: every certificate the CA recorded, with its status, queryable for the API,
/// expiry tracking and revocation. [CertificateRepository] is the port; the store module implements it
/// on the same tables as the ledger.
@NullMarked
package io.certwright.ca.registry;

import org.jspecify.annotations.NullMarked;
