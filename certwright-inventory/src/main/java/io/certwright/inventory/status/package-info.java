/// The status of every certificate: ok, expiring, expired, revoked, replaced or renewal-overdue.
///
/// [StatusTable] holds the facts that decide a status in flat arrays (a few dozen bytes per certificate), and
/// [StatusEvaluator] computes all statuses in a few linear passes, so a million certificates need neither a
/// database query per certificate nor an object graph. [InventoryStatuses] builds the table from inventory
/// entries and maps the results back to fingerprints.
@NullMarked
package io.certwright.inventory.status;

import org.jspecify.annotations.NullMarked;
