package io.certwright.bench;

import io.certwright.inventory.status.ExpiryThresholds;
import io.certwright.inventory.status.RenewalPolicy;
import io.certwright.inventory.status.StatusEvaluator;
import io.certwright.inventory.status.StatusResults;
import io.certwright.inventory.status.StatusTable;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/// Time to compute the status of every certificate in a large inventory (1,000,000 rows by default): the
/// [StatusEvaluator]'s passes over a [StatusTable] of synthetic rows ([InventoryRows]), and, separately, the
/// time to build that table from already-interned ids. Memory is measured by [InventoryStatusFootprint].
///
/// ```
/// java -jar certwright-bench/target/benchmarks.jar InventoryStatusBenchmark -f 1 -wi 3 -i 5
/// ```
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@SuppressWarnings("NullAway.Init") // JMH sets the fields in @Setup before any @Benchmark call
public class InventoryStatusBenchmark {

    /// Number of certificates.
    @Param("1000000")
    public int rows;

    private StatusTable table;
    private StatusEvaluator evaluator;
    private Instant now;

    @Setup
    public void setUp() {
        table = InventoryRows.table(rows, 7);
        evaluator = new StatusEvaluator(List.of(ExpiryThresholds.defaults()), RenewalPolicy.defaults());
        now = Instant.ofEpochSecond(InventoryRows.NOW);
    }

    /// All statuses of the table.
    @Benchmark
    public StatusResults evaluateStatuses() {
        return evaluator.evaluate(table, now);
    }

    /// Building the table (the step a store adapter does after reading rows).
    @Benchmark
    public StatusTable buildTable() {
        return InventoryRows.table(rows, 7);
    }
}
