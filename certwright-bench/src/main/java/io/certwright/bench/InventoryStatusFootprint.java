package io.certwright.bench;

import io.certwright.inventory.status.CertificateStatus;
import io.certwright.inventory.status.ExpiryThresholds;
import io.certwright.inventory.status.RenewalPolicy;
import io.certwright.inventory.status.StatusEvaluator;
import io.certwright.inventory.status.StatusResults;
import io.certwright.inventory.status.StatusTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/// Heap used by a status table of N synthetic rows (default 1,000,000) and by one evaluation, measured as the
/// used heap after a full collection before and after; also prints the table's own estimate and the status
/// counts, so a run shows the data is not degenerate.
///
/// ```
/// java -cp certwright-bench/target/benchmarks.jar io.certwright.bench.InventoryStatusFootprint 1000000
/// ```
public final class InventoryStatusFootprint {

    private InventoryStatusFootprint() {
    }

    /// Prints the measurements; the optional argument is the number of rows.
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        StatusTable table = InventoryRows.table(rows, 7);
        long afterTable = usedAfterGc(memory);
        StatusEvaluator evaluator = new StatusEvaluator(List.of(ExpiryThresholds.defaults()),
                RenewalPolicy.defaults());
        StatusResults results = evaluator.evaluate(table, Instant.ofEpochSecond(InventoryRows.NOW));
        long afterResults = usedAfterGc(memory);
        Map<CertificateStatus, Long> counts = results.counts();
        System.out.printf("rows: %,d%n", table.rows());
        System.out.printf("table heap: %,d bytes (%.1f bytes/row; arrays estimate %,d bytes)%n",
                afterTable - before, (double) (afterTable - before) / rows, table.footprintBytes());
        System.out.printf("results heap: %,d bytes%n", afterResults - afterTable);
        counts.forEach((status, n) -> System.out.printf("  %-16s %,d%n", status.wireName(), n));
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
