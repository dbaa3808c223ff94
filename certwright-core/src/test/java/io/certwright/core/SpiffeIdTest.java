package io.certwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/// Parsing rules of SPIFFE-ID §2 (scheme, trust domain, path), with the exact error of each broken rule.
class SpiffeIdTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("ok trust domain only", "spiffe://example.org", "example.org", ""),
                Arguments.of("ok one segment", "spiffe://example.org/workload", "example.org", "/workload"),
                Arguments.of("ok several segments", "spiffe://example.org/ns/prod/sa/api", "example.org", "/ns/prod/sa/api"),
                Arguments.of("ok every allowed path character", "spiffe://example.org/AZaz09.-_", "example.org", "/AZaz09.-_"),
                Arguments.of("ok every allowed trust domain character", "spiffe://a-b_c.0-9", "a-b_c.0-9", ""),
                Arguments.of("ok three dots is no dot segment", "spiffe://example.org/...", "example.org", "/..."),
                Arguments.of("ok segment starting with dot", "spiffe://example.org/.hidden", "example.org", "/.hidden"),
                Arguments.of("ok ip-like trust domain", "spiffe://10.0.0.1/x", "10.0.0.1", "/x"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("valid")
    void parseAcceptsValidIds(String name, String text, String trustDomain, String path) {
        SpiffeId id = SpiffeId.parse(text);

        assertThat(id.trustDomain().name()).isEqualTo(trustDomain);
        assertThat(id.path()).isEqualTo(path);
        assertThat(id).hasToString(text);
        assertThat(SpiffeId.isValid(text)).isTrue();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("fail empty", "", SpiffeId.EMPTY),
                Arguments.of("fail no scheme", "example.org/workload", SpiffeId.WRONG_SCHEME),
                Arguments.of("fail other scheme", "https://example.org/workload", SpiffeId.WRONG_SCHEME),
                Arguments.of("fail uppercase scheme", "SPIFFE://example.org/workload", SpiffeId.WRONG_SCHEME),
                Arguments.of("fail single slash", "spiffe:/example.org/workload", SpiffeId.WRONG_SCHEME),
                Arguments.of("fail scheme without separator", "spiffe:example.org", SpiffeId.WRONG_SCHEME),
                Arguments.of("fail missing trust domain", "spiffe://", SpiffeId.MISSING_TRUST_DOMAIN),
                Arguments.of("fail missing trust domain before path", "spiffe:///workload", SpiffeId.MISSING_TRUST_DOMAIN),
                Arguments.of("fail uppercase trust domain", "spiffe://Example.org/workload", TrustDomain.BAD_CHAR),
                Arguments.of("fail port", "spiffe://example.org:8443/workload", TrustDomain.BAD_CHAR),
                Arguments.of("fail user info", "spiffe://user@example.org/workload", TrustDomain.BAD_CHAR),
                Arguments.of("fail user and password", "spiffe://user:pass@example.org", TrustDomain.BAD_CHAR),
                Arguments.of("fail query after trust domain", "spiffe://example.org?x=1", TrustDomain.BAD_CHAR),
                Arguments.of("fail fragment after trust domain", "spiffe://example.org#frag", TrustDomain.BAD_CHAR),
                Arguments.of("fail percent-encoded trust domain", "spiffe://exa%6dple.org", TrustDomain.BAD_CHAR),
                Arguments.of("fail non-ascii trust domain", "spiffe://exämple.org", TrustDomain.BAD_CHAR),
                Arguments.of("fail root trailing slash", "spiffe://example.org/", SpiffeId.TRAILING_SLASH),
                Arguments.of("fail path trailing slash", "spiffe://example.org/workload/", SpiffeId.TRAILING_SLASH),
                Arguments.of("fail empty segment", "spiffe://example.org//workload", SpiffeId.EMPTY_SEGMENT),
                Arguments.of("fail empty inner segment", "spiffe://example.org/ns//api", SpiffeId.EMPTY_SEGMENT),
                Arguments.of("fail dot segment", "spiffe://example.org/./workload", SpiffeId.DOT_SEGMENT),
                Arguments.of("fail dot-dot segment", "spiffe://example.org/ns/../api", SpiffeId.DOT_SEGMENT),
                Arguments.of("fail final dot-dot segment", "spiffe://example.org/ns/..", SpiffeId.DOT_SEGMENT),
                Arguments.of("fail query in path", "spiffe://example.org/workload?x=1", SpiffeId.BAD_PATH_CHAR),
                Arguments.of("fail fragment in path", "spiffe://example.org/workload#frag", SpiffeId.BAD_PATH_CHAR),
                Arguments.of("fail percent-encoding in path", "spiffe://example.org/work%20load", SpiffeId.BAD_PATH_CHAR),
                Arguments.of("fail space in path", "spiffe://example.org/work load", SpiffeId.BAD_PATH_CHAR),
                Arguments.of("fail colon in path", "spiffe://example.org/a:b", SpiffeId.BAD_PATH_CHAR),
                Arguments.of("fail non-ascii path", "spiffe://example.org/café", SpiffeId.BAD_PATH_CHAR));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalid")
    void parseRefusesInvalidIdsNamingTheRule(String name, String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpiffeId.parse(text));

        assertThat(e).hasMessage(message);
        assertThat(SpiffeId.isValid(text)).isFalse();
    }

    @Test
    void idOfExactly2048BytesIsAccepted() {
        String prefix = "spiffe://example.org/";
        String text = prefix + "a".repeat(SpiffeId.MAX_LENGTH - prefix.length());

        assertThat(SpiffeId.parse(text).toString()).hasSize(SpiffeId.MAX_LENGTH);
    }

    @Test
    void idLongerThan2048BytesIsRefused() {
        String prefix = "spiffe://example.org/";
        String text = prefix + "a".repeat(SpiffeId.MAX_LENGTH - prefix.length() + 1);

        assertThatThrownBy(() -> SpiffeId.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(SpiffeId.TOO_LONG);
    }

    @Test
    void constructorAppliesThePathRules() {
        TrustDomain td = new TrustDomain("example.org");

        assertThatThrownBy(() -> new SpiffeId(td, "workload")).hasMessage(SpiffeId.BAD_PATH_CHAR);
        assertThatThrownBy(() -> new SpiffeId(td, "/a/")).hasMessage(SpiffeId.TRAILING_SLASH);
        assertThat(new SpiffeId(td, "/a/b")).isEqualTo(SpiffeId.parse("spiffe://example.org/a/b"));
    }

    @Test
    void segmentsSplitThePath() {
        assertThat(SpiffeId.parse("spiffe://example.org/ns/prod/sa/api").segments())
                .containsExactly("ns", "prod", "sa", "api");
        assertThat(SpiffeId.parse("spiffe://example.org").segments()).isEqualTo(List.of());
    }

    @Test
    void onlyIdsWithAPathNameWorkloads() {
        assertThat(SpiffeId.parse("spiffe://example.org/api").hasPath()).isTrue();
        assertThat(SpiffeId.parse("spiffe://example.org").hasPath()).isFalse();
    }

    @Test
    void trustDomainIdIsTheIdWithoutPath() {
        assertThat(new TrustDomain("example.org").id()).isEqualTo(SpiffeId.parse("spiffe://example.org"));
    }
}
