/// The ACME server inside Certwright: its configuration (`acme.*`), the issuance port over the one
/// issuance path, and the adapter that puts the ACME engine on the HTTPS listener under `/acme/`.
@NullMarked
package io.certwright.server.acme;

import org.jspecify.annotations.NullMarked;
