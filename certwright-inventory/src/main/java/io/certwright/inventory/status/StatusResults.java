package io.certwright.inventory.status;

import java.util.EnumMap;
import java.util.Map;

/// The statuses of every row of a [StatusTable], in flat arrays.
public final class StatusResults {

    private final byte[] status;
    private final byte[] threshold;

    StatusResults(byte[] status, byte[] threshold) {
        this.status = status;
        this.threshold = threshold;
    }

    /// The number of rows.
    public int rows() {
        return status.length;
    }

    /// The status of one row.
    public CertificateStatus status(int row) {
        return CertificateStatus.ofCode(status[row]);
    }

    /// The index of the shortest expiry threshold the row has crossed (in the row's own threshold list), or -1.
    /// Set for expiring and renewal-overdue rows, which may both be due an expiry alert.
    public int thresholdIndex(int row) {
        return threshold[row];
    }

    /// How many rows have each status; every status is present, with 0 where none has it.
    public Map<CertificateStatus, Long> counts() {
        long[] counts = new long[CertificateStatus.values().length];
        for (byte s : status) {
            counts[s]++;
        }
        EnumMap<CertificateStatus, Long> out = new EnumMap<>(CertificateStatus.class);
        for (CertificateStatus s : CertificateStatus.values()) {
            out.put(s, counts[s.code()]);
        }
        return out;
    }
}
