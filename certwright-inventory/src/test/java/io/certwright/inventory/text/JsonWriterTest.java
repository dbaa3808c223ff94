package io.certwright.inventory.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class JsonWriterTest {

    @Test
    void hostileStringsRoundTripThroughAJsonParser() {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\u0000 </script> \u2028 lone\ud800 pair\ud83d\ude00";
        String json = new JsonWriter().beginObject().name("k\"ey").value(nasty).name("n").value(-5)
                .name("b").value(true).name("z").nullValue().name("a").beginArray().value("x").value(1).endArray()
                .endObject().toString();
        JsonNode node = new ObjectMapper().readTree(json);
        assertThat(node.get("n").asInt()).isEqualTo(-5);
        assertThat(node.get("a")).hasSize(2);
        assertThat(node.get("k\"ey").asString()).startsWith("quote\" backslash\\ newline\n");
        assertThat(json).doesNotContain("</script>").doesNotContain("\u2028");
    }
}
