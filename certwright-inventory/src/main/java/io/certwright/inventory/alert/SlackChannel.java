package io.certwright.inventory.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/// A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat and others): `{"text": "..."}` POSTed to
/// the webhook URL. The URL is the secret, so only its host appears in logs.
public final class SlackChannel implements AlertChannel {

    private final String name;
    private final URI uri;
    private final HttpClient client;
    private final Duration timeout;

    /// A Slack-compatible channel posting to `uri`.
    public SlackChannel(String name, URI uri, HttpClient client, Duration timeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.uri = HttpPost.checkHttp(uri);
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public String target() {
        return HttpPost.redact(uri);
    }

    @Override
    public Attempt send(Notification notification) {
        return HttpPost.post(client, uri, NotificationJson.slack(notification).getBytes(StandardCharsets.UTF_8),
                Map.of(), timeout);
    }

    @Override
    public String toString() {
        return "SlackChannel[" + name + ", " + target() + "]";
    }
}
