package io.certwright.acme.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// The ACME server's answer to one request.
///
/// @param status the HTTP status
/// @param headers the response headers in order; a name may repeat (`Link` does)
/// @param body the body, empty when there is none
/// @param contentType the body's media type, when there is a body
@SuppressWarnings("ArrayRecordComponent") // copied in and out
public record AcmeResponse(int status, List<Header> headers, byte[] body, Optional<String> contentType) {

    /// One response header.
    ///
    /// @param name the header name
    /// @param value the header value
    public record Header(String name, String value) {

        /// Checks the components.
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /// Copies the headers and the body.
    public AcmeResponse {
        headers = List.copyOf(headers);
        body = body.clone();
        Objects.requireNonNull(contentType, "contentType");
    }

    /// The first value of header `name` (case-insensitive).
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /// Every value of header `name` (case-insensitive), in order.
    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /// The body (a copy).
    @Override
    public byte[] body() {
        return body.clone();
    }

    /// The body as UTF-8 text.
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AcmeResponse r && r.status == status && r.headers.equals(headers)
                && java.util.Arrays.equals(r.body, body) && r.contentType.equals(contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, contentType);
    }

    @Override
    public String toString() {
        return "AcmeResponse[" + status + ", " + headers + ", " + body.length + " bytes]";
    }
}
