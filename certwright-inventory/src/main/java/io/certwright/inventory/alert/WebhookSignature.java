package io.certwright.inventory.alert;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/// The signature of a webhook request: HMAC-SHA256 with the shared secret over `<timestamp>.<body>`, where
/// `<timestamp>` is the value of the [#TIMESTAMP_HEADER] (Unix seconds) and `<body>` the exact request body bytes.
///
/// Signing the timestamp with the body lets a receiver refuse replays: it checks the signature, then that the
/// timestamp lies within a few minutes of its own clock.
public final class WebhookSignature {

    /// Header holding `sha256=<64 lowercase hex digits>`.
    public static final String SIGNATURE_HEADER = "X-Certwright-Signature";
    /// Header holding the Unix time, in seconds, at which the request was signed.
    public static final String TIMESTAMP_HEADER = "X-Certwright-Timestamp";
    /// Header holding the notification id, the same on every retry, so receivers can drop duplicates.
    public static final String DELIVERY_HEADER = "X-Certwright-Delivery";
    private static final String PREFIX = "sha256=";
    private static final int MAX_TIMESTAMP_DIGITS = 12;

    private WebhookSignature() {
    }

    /// The [#SIGNATURE_HEADER] value for `body` sent at `timestampSeconds`.
    public static String sign(Secret secret, long timestampSeconds, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(secret, timestampSeconds, body));
    }

    /// Whether a request is authentic and fresh: the signature header is well-formed and matches (compared in
    /// constant time), and the timestamp lies within `tolerance` of `now` in either direction. Malformed headers
    /// give false, never an exception.
    public static boolean verify(Secret secret, Optional<String> timestampHeader, Optional<String> signatureHeader,
            byte[] body, Instant now, Duration tolerance) {
        if (timestampHeader.isEmpty() || signatureHeader.isEmpty()) {
            return false;
        }
        String ts = timestampHeader.get().trim();
        if (ts.isEmpty() || ts.length() > MAX_TIMESTAMP_DIGITS || !ts.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        long timestamp = Long.parseLong(ts);
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        String sig = signatureHeader.get().trim();
        if (!sig.startsWith(PREFIX)) {
            return false;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(sig.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, timestamp, body), presented);
    }

    private static byte[] mac(Secret secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = secret.revealBytes();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            java.util.Arrays.fill(key, (byte) 0);
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
