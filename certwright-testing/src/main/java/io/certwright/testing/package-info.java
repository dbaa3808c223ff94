/// Test fixtures shared by every module's tests: [MutableClock] for time that tests move forward,
/// [TestCa] for an in-memory certificate authority, and contract suites such as
/// [CertificateLedgerContract], [CertificateRepositoryContract], [CrlRepositoryContract], [AuditLogContract]
/// and [AccessStoreContract] that every implementation of a port must pass.
@NullMarked
package io.certwright.testing;

import org.jspecify.annotations.NullMarked;
