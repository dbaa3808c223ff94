package io.certwright.bench;

import io.certwright.inventory.status.StatusTable;
import java.util.SplittableRandom;

/// A synthetic inventory for the status benchmarks, the same for the same seed.
///
/// Shaped like a large estate: each identity (a service name) has on average two certificates, an older one
/// and its renewal; a third of the certificates were issued by Certwright; one in a hundred is revoked; each
/// certificate has two names and is seen at one or two of 600,000 places; validity periods are 90 days,
/// spread over a year around the evaluation instant, so every status occurs.
final class InventoryRows {

    static final long NOW = 1_900_000_000L;
    private static final long DAY = 86_400;

    private InventoryRows() {
    }

    static StatusTable table(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int identities = Math.max(1, rows / 2);
        int places = Math.max(1, rows * 3 / 5);
        StatusTable.Builder b = StatusTable.builder(rows);
        for (int r = 0; r < rows; r++) {
            int identity = random.nextInt(identities);
            long notBefore = NOW - random.nextLong(300 * DAY) + 30 * DAY;
            long notAfter = notBefore + 90 * DAY;
            int first = identity * 2;
            int[] names = {first, first + 1};
            int row = b.addCertificate(notBefore, notAfter, random.nextInt(3) == 0, random.nextInt(100) == 0,
                    identity, 0, names);
            int sightings = 1 + random.nextInt(2);
            for (int s = 0; s < sightings; s++) {
                // Certificates of one identity share places most of the time, so renewals replace.
                int place = random.nextInt(4) == 0 ? random.nextInt(places) : identity % places;
                b.addSighting(row, place, notBefore + random.nextLong(DAY * 60));
            }
        }
        return b.build();
    }
}
