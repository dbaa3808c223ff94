package io.certwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/// Trust domain names per SPIFFE-ID §2.1.
class TrustDomainTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "ok bare name, example.org, example.org",
            "ok SPIFFE ID form, spiffe://example.org, example.org",
            "ok digits dashes underscores, td-1_2.example, td-1_2.example",
            "ok single label, local, local"
    })
    void parseAcceptsValidNames(String name, String text, String expected) {
        assertThat(TrustDomain.parse(text).name()).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("fail empty", "", TrustDomain.EMPTY),
                Arguments.of("fail uppercase", "Example.org", TrustDomain.BAD_CHAR),
                Arguments.of("fail port", "example.org:443", TrustDomain.BAD_CHAR),
                Arguments.of("fail user info", "me@example.org", TrustDomain.BAD_CHAR),
                Arguments.of("fail slash", "example.org/x", TrustDomain.BAD_CHAR),
                Arguments.of("fail space", "example .org", TrustDomain.BAD_CHAR),
                Arguments.of("fail wildcard", "*.example.org", TrustDomain.BAD_CHAR),
                Arguments.of("fail 256 bytes", "a".repeat(256), TrustDomain.TOO_LONG),
                Arguments.of("fail SPIFFE ID with path", "spiffe://example.org/workload",
                        "a trust domain has no path: spiffe://example.org/workload"),
                Arguments.of("fail SPIFFE ID with bad trust domain", "spiffe://EXAMPLE.org", TrustDomain.BAD_CHAR),
                Arguments.of("fail SPIFFE ID without trust domain", "spiffe://", SpiffeId.MISSING_TRUST_DOMAIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void parseRefusesInvalidNamesNamingTheRule(String name, String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustDomain.parse(text));

        assertThat(e).hasMessage(message);
    }

    @Test
    void nameOfExactly255BytesIsAccepted() {
        assertThat(new TrustDomain("a".repeat(TrustDomain.MAX_LENGTH)).name()).hasSize(255);
    }

    @Test
    void toStringIsTheName() {
        assertThat(new TrustDomain("example.org")).hasToString("example.org");
    }
}
