package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/// Pure pieces of the client commands: fingerprint matching, problem rendering, query building.
class ClientUnitsTest {

    private static final String HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void aFingerprintMatchesWithOrWithoutColonsInAnyCase() throws Exception {
        String colons = Fingerprints.display(HEX);
        assertThat(colons).startsWith("9F:86:D0");
        assertThat(Fingerprints.normalize(colons)).isEqualTo(HEX);
        assertThat(Fingerprints.normalize(HEX.toUpperCase(java.util.Locale.ROOT))).isEqualTo(HEX);
        assertThat(Fingerprints.normalize(colons.toLowerCase(java.util.Locale.ROOT))).isEqualTo(HEX);
        assertThat(Fingerprints.normalize("SHA256:" + HEX)).isEqualTo(HEX);
        assertThat(Fingerprints.normalize("  " + colons.replace(":", " ") + "\n")).isEqualTo(HEX);
    }

    @Test
    void somethingThatIsNotASha256FingerprintIsRefused() {
        assertThatThrownBy(() -> Fingerprints.normalize(HEX.substring(2))).isInstanceOf(CliException.class)
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> Fingerprints.normalize(HEX.replace('a', 'g'))).isInstanceOf(CliException.class);
    }

    @Test
    void aProblemIsRenderedAsTitleDetailAndOneLinePerRefusal() {
        ServerProblem p = ServerProblem.of(403, "application/problem+json", """
                {"type":"https://certwright.io/problems/policy-refused","title":"Refused by policy",
                 "detail":"2 rules refused the request","status":403,
                 "refusals":[{"rule":"spiffe-id","detail":"spiffe://other.org/x is outside the trust domain"},
                             {"rule":"ttl","detail":"30d exceeds the maximum of 1d"}]}""");
        assertThat(p.status()).isEqualTo(403);
        assertThat(p.type()).isEqualTo("https://certwright.io/problems/policy-refused");
        assertThat(p.lines()).containsExactly("error: Refused by policy: 2 rules refused the request",
                "  spiffe-id: spiffe://other.org/x is outside the trust domain",
                "  ttl: 30d exceeds the maximum of 1d");
    }

    @Test
    void aProblemWithoutDetailIsJustItsTitle() {
        assertThat(ServerProblem.of(401, "application/problem+json; charset=utf-8", "{\"title\":\"Unauthorized\"}").lines())
                .containsExactly("error: Unauthorized");
    }

    @Test
    void anErrorThatIsNotAProblemDocumentIsDescribedByItsStatusAndBody() {
        assertThat(ServerProblem.of(502, "text/html", "<html>\n<b>Bad gateway</b>\n</html>").lines())
                .containsExactly("error: HTTP 502: <html> <b>Bad gateway</b> </html>");
        assertThat(ServerProblem.of(500, "application/json", "{oops").lines()).containsExactly("error: HTTP 500: {oops");
    }

    @Test
    void queriesCarryOnlyThePresentParametersEncoded() {
        Map<String, Optional<String>> q = new LinkedHashMap<>();
        q.put("spiffe_id_prefix", Optional.of("spiffe://example.org/ns a"));
        q.put("status", Optional.empty());
        q.put("limit", Optional.of("500"));
        assertThat(ServerClient.query("/api/v1/certificates", q))
                .isEqualTo("/api/v1/certificates?spiffe_id_prefix=spiffe%3A%2F%2Fexample.org%2Fns+a&limit=500");
        assertThat(ServerClient.query("/x", Map.of())).isEqualTo("/x");
        assertThat(ServerClient.segment("a b/c")).isEqualTo("a%20b%2Fc");
    }

    @Test
    void serialsAreNormalisedToLowercaseHexWithoutColons() throws Exception {
        assertThat(RevokeCommand.normalizeSerial("0A:1b:FF")).isEqualTo("0a1bff");
        assertThatThrownBy(() -> RevokeCommand.normalizeSerial("xyz")).isInstanceOf(CliException.class);
    }
}
