package io.certwright.inventory.alert;

/// Somewhere notifications go. Each send is one attempt; [Deliverer] retries.
public sealed interface AlertChannel permits WebhookChannel, SlackChannel, EmailChannel {

    /// The configured name, unique among channels; part of every deduplication key.
    String name();

    /// `webhook`, `slack` or `email`; the `channel` label of the delivery metrics.
    String type();

    /// Where it sends, without secrets, for the delivery log.
    String target();

    /// One attempt to send.
    Attempt send(Notification notification);

    /// The result of one attempt.
    sealed interface Attempt permits Sent, RetryableFailure, PermanentFailure {
    }

    /// The receiver accepted the notification.
    record Sent() implements Attempt {
    }

    /// It failed in a way that may pass (connection refused, timeout, HTTP 5xx or 429).
    ///
    /// @param error one line, without secrets
    record RetryableFailure(String error) implements Attempt {
    }

    /// It failed in a way retrying will not fix (HTTP 4xx, authentication refused, bad recipient).
    ///
    /// @param error one line, without secrets
    record PermanentFailure(String error) implements Attempt {
    }
}
