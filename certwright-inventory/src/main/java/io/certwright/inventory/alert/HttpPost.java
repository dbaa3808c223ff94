package io.certwright.inventory.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/// One HTTP POST of a JSON body, classified into an [AlertChannel.Attempt]. Response bodies are discarded:
/// they may echo secrets and do not belong in the delivery log.
final class HttpPost {

    private HttpPost() {
    }

    static AlertChannel.Attempt post(HttpClient client, URI uri, byte[] body, Map<String, String> headers,
            Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            return new AlertChannel.RetryableFailure("timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new AlertChannel.RetryableFailure("I/O error: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AlertChannel.RetryableFailure("interrupted");
        } catch (IllegalArgumentException e) {
            return new AlertChannel.PermanentFailure("invalid request: " + e.getClass().getSimpleName());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new AlertChannel.Sent();
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new AlertChannel.RetryableFailure("HTTP " + status);
        }
        return new AlertChannel.PermanentFailure("HTTP " + status);
    }

    /// `scheme://host[:port]`, without path, query or user info (a Slack webhook's path is its secret).
    static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }

    static URI checkHttp(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException("webhook URL must be http or https with a host");
        }
        return uri;
    }
}
