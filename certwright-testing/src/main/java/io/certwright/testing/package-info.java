/// Test fixtures shared by every module's tests: [MutableClock] for time that tests move forward,
/// [TestCa] for an in-memory certificate authority, [InventoryEntries] for inventory entries without a CA,
/// and contract suites that every implementation of a port must pass: [CertificateLedgerContract],
/// [CertificateRepositoryContract], [CrlRepositoryContract], [AuditLogContract] and [AccessStoreContract] for
/// the CA's ports, [InventoryStoreContract], [AlertStateStoreContract], [SilenceStoreContract] and
/// [DeliveryLogContract] for the inventory's.
@NullMarked
package io.certwright.testing;

import org.jspecify.annotations.NullMarked;
