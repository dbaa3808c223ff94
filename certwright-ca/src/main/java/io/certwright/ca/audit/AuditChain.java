package io.certwright.ca.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/// The hash chain of the audit log.
///
/// The canonical form of an entry is the UTF-8 of these fields joined by newlines, each field written as
/// its length in UTF-8 bytes, a colon, and the field (so no field can forge a separator):
/// `sequence`, `time` (ISO-8601, milliseconds), `actor`, `action`, `target`, `outcome`, then every
/// detail as `key=value` in key order, then `previousHash`.
/// `hash = hex(SHA-256(canonical form))`.
public final class AuditChain {

    /// The `previousHash` of the first entry.
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /// The entry that follows `previous` (or starts the chain when `previous` is empty).
    public static AuditEntry next(Optional<AuditEntry> previous, Instant time, AuditEvent event) {
        long seq = previous.map(p -> p.sequence() + 1).orElse(1L);
        String prev = previous.map(AuditEntry::hash).orElse(GENESIS);
        Instant t = time.truncatedTo(ChronoUnit.MILLIS);
        return new AuditEntry(seq, t, event, prev, hash(seq, t, event, prev));
    }

    public static String hash(long sequence, Instant time, AuditEvent event, String previousHash) {
        StringBuilder b = new StringBuilder();
        field(b, Long.toString(sequence));
        field(b, time.truncatedTo(ChronoUnit.MILLIS).toString());
        field(b, event.actor());
        field(b, event.action());
        field(b, event.target());
        field(b, event.outcome().wireName());
        for (Map.Entry<String, String> d : event.details().entrySet()) {
            field(b, d.getKey() + "=" + d.getValue());
        }
        field(b, previousHash);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void field(StringBuilder b, String value) {
        b.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value).append('\n');
    }

    /// The first problem in a sequence of entries read in order, if any.
    public static final class Verifier {
        private Optional<AuditEntry> last = Optional.empty();
        private long checked;

        /// Checks the next entry; returns why it breaks the chain, or empty when it is a valid link.
        public Optional<String> accept(AuditEntry e) {
            long expectedSeq = last.map(l -> l.sequence() + 1).orElse(1L);
            String expectedPrev = last.map(AuditEntry::hash).orElse(GENESIS);
            if (e.sequence() != expectedSeq) {
                return Optional.of("entry " + expectedSeq + " is missing (found " + e.sequence() + ")");
            }
            if (!e.previousHash().equals(expectedPrev)) {
                return Optional.of("entry " + e.sequence() + " does not link to entry " + (expectedSeq - 1));
            }
            if (!hash(e.sequence(), e.time(), e.event(), e.previousHash()).equals(e.hash())) {
                return Optional.of("entry " + e.sequence() + " was altered (hash mismatch)");
            }
            last = Optional.of(e);
            checked++;
            return Optional.empty();
        }

        /// Entries verified so far.
        public long checked() {
            return checked;
        }
    }
}
