package io.certwright.inventory.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusEvaluatorTest {

    private final StatusEvaluator evaluator = new StatusEvaluator(List.of(ExpiryThresholds.defaults()),
            RenewalPolicy.defaults());
    private static final long DAY = 86_400;

    @Test
    void tableGrowsPastItsInitialCapacityAndKeepsEveryRowsSightings() {
        StatusTable.Builder b = StatusTable.builder(1);
        int rows = 1000;
        for (int r = 0; r < rows; r++) {
            int row = b.addCertificate(0, 100 * DAY, false, false, r, 0, new int[] {r});
            b.addSighting(row, r % 10, r);
        }
        StatusTable t = b.build();
        StatusResults results = evaluator.evaluate(t, Instant.ofEpochSecond(50 * DAY));
        assertThat(results.rows()).isEqualTo(rows);
        // Each place is served last by the highest row seen there; the others are not replaced because their
        // names differ.
        assertThat(results.counts().get(CertificateStatus.OK)).isEqualTo((long) rows);
    }

    @Test
    void namesMustBeSortedIds() {
        StatusTable.Builder b = StatusTable.builder(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> b.addCertificate(0, 1, false, false, 0, 0, new int[] {3, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
