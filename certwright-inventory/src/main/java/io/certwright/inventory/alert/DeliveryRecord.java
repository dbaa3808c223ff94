package io.certwright.inventory.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/// One line of the delivery log.
///
/// @param at when the delivery ended
/// @param notificationId the notification's id
/// @param kind the notification's kind
/// @param channelType `webhook`, `slack` or `email`
/// @param channel the channel's configured name
/// @param target where it went, without secrets (host of a URL, recipients of an email)
/// @param outcome delivered or failed
/// @param attempts how many attempts were made
/// @param error the last error, when it failed (no secrets, no response bodies)
public record DeliveryRecord(Instant at, String notificationId, AlertKind kind, String channelType, String channel,
        String target, DeliveryOutcome outcome, int attempts, Optional<String> error) {

    public DeliveryRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(error, "error");
    }
}
