/// The inventory inside the server: issued certificates followed from the ledger into the inventory,
/// scheduled scans of configured endpoints and files, the periodic status and alert run, and the
/// inventory's Prometheus metrics. Periodic jobs run on one replica at a time (a database job lock each).
/// The REST handlers live in the HTTP edge and call [InventoryService].
@NullMarked
package io.certwright.server.inventory;

import org.jspecify.annotations.NullMarked;
