package io.certwright.acme.ari;

import io.certwright.acme.store.RenewalOverride;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.core.SerialNumber;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/// The suggested renewal window of a certificate, as a pure function of its validity, its serial and the
/// administrators' overrides.
///
/// By default the window lies in the middle third of the validity and is a third of that third long (a
/// ninth of the validity); where in the middle third it sits is fixed per certificate by a hash of its
/// serial, so a fleet of certificates issued together does not renew at one instant, and asking again
/// always gives the same answer.
public final class RenewalWindows {

    private RenewalWindows() {
    }

    /// The default window of a certificate valid from `notBefore` to `notAfter`.
    public static RenewalWindow standard(Instant notBefore, Instant notAfter, SerialNumber serial) {
        Duration validity = Duration.between(notBefore, notAfter);
        if (validity.toSeconds() < 9) {
            return new RenewalWindow(notBefore, notBefore.plusSeconds(Math.max(1, validity.toSeconds())),
                    Optional.empty());
        }
        long third = validity.toSeconds() / 3;
        long width = validity.toSeconds() / 9;
        long slack = third - width;
        long offset = (long) (fraction(serial) * slack);
        Instant start = notBefore.plusSeconds(third + offset);
        return new RenewalWindow(start, start.plusSeconds(width), Optional.empty());
    }

    /// The window of a certificate: the newest override that selects it, else the default; for a revoked
    /// certificate, a window that has already begun (renew now).
    public static RenewalWindow suggest(Instant notBefore, Instant notAfter, SerialNumber serial,
            Optional<KeyIdentifier> issuerKeyId, boolean revoked, List<RenewalOverride> overrides, Instant now) {
        if (revoked) {
            return new RenewalWindow(now.minus(Duration.ofHours(1)), now.plusSeconds(1), Optional.empty());
        }
        return overrides.stream()
                .filter(o -> selects(o, notBefore, serial, issuerKeyId))
                .max(Comparator.comparing(RenewalOverride::createdAt))
                .map(o -> new RenewalWindow(o.windowStart(), o.windowEnd(), o.explanationUrl()))
                .orElseGet(() -> standard(notBefore, notAfter, serial));
    }

    /// Whether `override` selects the certificate: issued before its cut-off, and of its serial and issuing
    /// key when it names them.
    public static boolean selects(RenewalOverride override, Instant notBefore, SerialNumber serial,
            Optional<KeyIdentifier> issuerKeyId) {
        return notBefore.isBefore(override.issuedBefore())
                && override.serial().map(s -> SerialNumber.parseHex(s).equals(serial)).orElse(true)
                && override.issuerKeyId().map(k -> issuerKeyId.map(i -> i.equals(KeyIdentifier.parse(k)))
                        .orElse(false)).orElse(true);
    }

    /// A number in [0, 1) fixed by the serial.
    private static double fraction(SerialNumber serial) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(serial.value().toByteArray());
            long top = ByteBuffer.wrap(h).getLong() >>> 11;
            return top / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
