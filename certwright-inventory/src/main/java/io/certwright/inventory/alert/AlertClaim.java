package io.certwright.inventory.alert;

import java.time.Instant;
import java.util.Objects;

/// A claim that one notification goes out once on one channel.
///
/// @param key the unique deduplication key: kind, subject, threshold or day, and channel
/// @param subject what it is about: a certificate fingerprint, or `owner:<name>` for digests
/// @param kind the notification kind
/// @param channel the channel's name
/// @param claimedAt when it was claimed
public record AlertClaim(String key, String subject, AlertKind kind, String channel, Instant claimedAt) {

    public AlertClaim {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(claimedAt, "claimedAt");
    }
}
