package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void stringsEscapeQuotesBackslashesAndControlCharacters() {
        assertThat(Json.quote("a\"b\\c\nd\te\u0001f\u2028")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\"");
    }

    @Test
    void objectsKeepOrderAndOmitAbsentOptionals() {
        String json = Json.object().put("b", 1).put("a", true).put("none", Optional.empty())
                .put("list", List.of("x", Json.object())).put("empty", List.of()).toString();
        assertThat(json).isEqualTo("""
                {
                  "b": 1,
                  "a": true,
                  "list": [
                    "x",
                    {}
                  ],
                  "empty": []
                }""");
    }
}
