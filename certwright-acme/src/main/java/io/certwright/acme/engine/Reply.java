package io.certwright.acme.engine;

import io.certwright.acme.AcmeJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/// A response under construction.
final class Reply {

    static final String JSON = "application/json";
    static final String PROBLEM = "application/problem+json";
    static final String PEM_CHAIN = "application/pem-certificate-chain";

    private final int status;
    private final List<AcmeResponse.Header> headers = new ArrayList<>();
    private final byte[] body;
    private final Optional<String> contentType;

    private Reply(int status, byte[] body, Optional<String> contentType) {
        this.status = status;
        this.body = body;
        this.contentType = contentType;
    }

    static Reply json(int status, JsonNode node) {
        return new Reply(status, AcmeJson.MAPPER.writeValueAsBytes(node), Optional.of(JSON));
    }

    static Reply problem(int status, JsonNode node) {
        return new Reply(status, AcmeJson.MAPPER.writeValueAsBytes(node), Optional.of(PROBLEM));
    }

    static Reply text(int status, String text, String contentType) {
        return new Reply(status, text.getBytes(StandardCharsets.UTF_8), Optional.of(contentType));
    }

    static Reply empty(int status) {
        return new Reply(status, new byte[0], Optional.empty());
    }

    Reply header(String name, String value) {
        headers.add(new AcmeResponse.Header(name, value));
        return this;
    }

    Reply location(String url) {
        return header("Location", url);
    }

    Reply link(String url, String rel) {
        return header("Link", "<" + url + ">;rel=\"" + rel + "\"");
    }

    AcmeResponse build() {
        return new AcmeResponse(status, headers, body, contentType);
    }
}
