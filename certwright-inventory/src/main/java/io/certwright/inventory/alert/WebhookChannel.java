package io.certwright.inventory.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/// A generic webhook: a JSON body (see [NotificationJson]) POSTed to a URL, signed with HMAC-SHA256 as
/// [WebhookSignature] describes.
public final class WebhookChannel implements AlertChannel {

    private final String name;
    private final URI uri;
    private final Secret secret;
    private final HttpClient client;
    private final Clock clock;
    private final Duration timeout;

    /// A webhook channel.
    ///
    /// @param name the configured name
    /// @param uri the receiver's URL (http or https)
    /// @param secret the shared signing secret
    /// @param client the HTTP client (its connect timeout and TLS settings apply)
    /// @param clock for the timestamp header
    /// @param timeout per request
    public WebhookChannel(String name, URI uri, Secret secret, HttpClient client, Clock clock, Duration timeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.uri = HttpPost.checkHttp(uri);
        this.secret = Objects.requireNonNull(secret, "secret");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public String target() {
        return HttpPost.redact(uri);
    }

    @Override
    public Attempt send(Notification notification) {
        byte[] body = NotificationJson.of(notification).getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        return HttpPost.post(client, uri, body, Map.of(
                WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp),
                WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body),
                WebhookSignature.DELIVERY_HEADER, notification.id()), timeout);
    }

    @Override
    public String toString() {
        return "WebhookChannel[" + name + ", " + target() + "]";
    }
}
