package io.certwright.inventory.status;

import java.util.Arrays;

/// The facts that decide certificate statuses, for many certificates, in flat arrays.
///
/// Each certificate is a row. Strings are replaced by small integers before they get here: an identity id (the
/// SPIFFE ID or name set that renewals share), name ids (each subject alternative name), place ids and a
/// threshold-policy index. A row costs about 33 bytes plus 4 per name and 12 per sighting, so a million
/// certificates fit in well under 100 MB.
///
/// Built once with a [Builder], then read-only; safe to share between threads after [Builder#build()].
public final class StatusTable {

    final int rows;
    final long[] notBefore;
    final long[] notAfter;
    final byte[] flags;
    final int[] identity;
    final int[] policy;
    final int[] nameStart;
    final int[] names;
    final int[] sightingStart;
    final int[] sightingPlace;
    final long[] sightingLastSeen;
    final int identityCount;
    final int placeCount;

    static final byte ISSUED_BY_US = 1;
    static final byte REVOKED = 2;

    private StatusTable(Builder b, int[] sightingStart, int[] sightingPlace, long[] sightingLastSeen) {
        this.rows = b.rows;
        this.notBefore = Arrays.copyOf(b.notBefore, b.rows);
        this.notAfter = Arrays.copyOf(b.notAfter, b.rows);
        this.flags = Arrays.copyOf(b.flags, b.rows);
        this.identity = Arrays.copyOf(b.identity, b.rows);
        this.policy = Arrays.copyOf(b.policy, b.rows);
        this.nameStart = Arrays.copyOf(b.nameStart, b.rows + 1);
        this.names = Arrays.copyOf(b.names, b.nameCount);
        this.sightingStart = sightingStart;
        this.sightingPlace = sightingPlace;
        this.sightingLastSeen = sightingLastSeen;
        this.identityCount = b.identityCount;
        this.placeCount = b.placeCount;
    }

    /// A builder with room for `expectedRows` rows (it grows past that).
    public static Builder builder(int expectedRows) {
        return new Builder(Math.max(16, expectedRows));
    }

    /// The number of rows.
    public int rows() {
        return rows;
    }

    /// An estimate of the bytes the arrays of this table occupy.
    public long footprintBytes() {
        return 8L * (notBefore.length + notAfter.length + sightingLastSeen.length) + flags.length
                + 4L * (identity.length + policy.length + nameStart.length + names.length + sightingStart.length
                        + sightingPlace.length);
    }

    /// Collects rows and sightings. Not thread-safe.
    public static final class Builder {

        private int rows;
        private long[] notBefore;
        private long[] notAfter;
        private byte[] flags;
        private int[] identity;
        private int[] policy;
        private int[] nameStart;
        private int[] names;
        private int nameCount;
        private int[] sRow;
        private int[] sPlace;
        private long[] sLastSeen;
        private int sightings;
        private int identityCount;
        private int placeCount;

        private Builder(int capacity) {
            notBefore = new long[capacity];
            notAfter = new long[capacity];
            flags = new byte[capacity];
            identity = new int[capacity];
            policy = new int[capacity];
            nameStart = new int[capacity + 1];
            names = new int[capacity * 2];
            sRow = new int[capacity];
            sPlace = new int[capacity];
            sLastSeen = new long[capacity];
        }

        /// Adds a certificate and returns its row.
        ///
        /// @param notBeforeSeconds start of validity, epoch seconds
        /// @param notAfterSeconds end of validity, epoch seconds
        /// @param issuedByUs whether Certwright issued it
        /// @param revoked whether it is revoked
        /// @param identityId the id of what renewals of it share (SPIFFE ID, or its name set)
        /// @param policyIndex index of its expiry thresholds in the list given to the evaluator
        /// @param sortedNameIds ids of its subject alternative names, ascending, no repeats
        public int addCertificate(long notBeforeSeconds, long notAfterSeconds, boolean issuedByUs, boolean revoked,
                int identityId, int policyIndex, int[] sortedNameIds) {
            if (identityId < 0 || policyIndex < 0) {
                throw new IllegalArgumentException("ids are not negative");
            }
            for (int i = 1; i < sortedNameIds.length; i++) {
                if (sortedNameIds[i] <= sortedNameIds[i - 1]) {
                    throw new IllegalArgumentException("name ids must be ascending without repeats");
                }
            }
            if (rows == notBefore.length) {
                int cap = rows + (rows >> 1) + 1;
                notBefore = Arrays.copyOf(notBefore, cap);
                notAfter = Arrays.copyOf(notAfter, cap);
                flags = Arrays.copyOf(flags, cap);
                identity = Arrays.copyOf(identity, cap);
                policy = Arrays.copyOf(policy, cap);
                nameStart = Arrays.copyOf(nameStart, cap + 1);
            }
            if (nameCount + sortedNameIds.length > names.length) {
                names = Arrays.copyOf(names, Math.max(names.length + (names.length >> 1), nameCount
                        + sortedNameIds.length));
            }
            int row = rows++;
            notBefore[row] = notBeforeSeconds;
            notAfter[row] = notAfterSeconds;
            flags[row] = (byte) ((issuedByUs ? ISSUED_BY_US : 0) | (revoked ? REVOKED : 0));
            identity[row] = identityId;
            policy[row] = policyIndex;
            System.arraycopy(sortedNameIds, 0, names, nameCount, sortedNameIds.length);
            nameCount += sortedNameIds.length;
            nameStart[row + 1] = nameCount;
            identityCount = Math.max(identityCount, identityId + 1);
            return row;
        }

        /// Records that the certificate in `row` was last seen at place `placeId` at `lastSeenSeconds`.
        public void addSighting(int row, int placeId, long lastSeenSeconds) {
            if (row < 0 || row >= rows || placeId < 0) {
                throw new IllegalArgumentException("unknown row or negative place id");
            }
            if (sightings == sRow.length) {
                int cap = sightings + (sightings >> 1) + 1;
                sRow = Arrays.copyOf(sRow, cap);
                sPlace = Arrays.copyOf(sPlace, cap);
                sLastSeen = Arrays.copyOf(sLastSeen, cap);
            }
            sRow[sightings] = row;
            sPlace[sightings] = placeId;
            sLastSeen[sightings] = lastSeenSeconds;
            sightings++;
            placeCount = Math.max(placeCount, placeId + 1);
        }

        /// The table; the builder must not be used afterwards.
        public StatusTable build() {
            // Group sightings by row (counting sort), so each row's sightings are one contiguous range.
            int[] start = new int[rows + 1];
            for (int i = 0; i < sightings; i++) {
                start[sRow[i] + 1]++;
            }
            for (int r = 0; r < rows; r++) {
                start[r + 1] += start[r];
            }
            int[] fill = Arrays.copyOf(start, rows);
            int[] place = new int[sightings];
            long[] seen = new long[sightings];
            for (int i = 0; i < sightings; i++) {
                int at = fill[sRow[i]]++;
                place[at] = sPlace[i];
                seen[at] = sLastSeen[i];
            }
            StatusTable table = new StatusTable(this, start, place, seen);
            sRow = new int[0];
            sPlace = new int[0];
            sLastSeen = new long[0];
            return table;
        }
    }
}
