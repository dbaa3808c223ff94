package io.certwright.ca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.core.SpiffeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/// `*` stands for exactly one path segment, a trailing `**` for one or more, everything else (the trust
/// domain included) for itself.
class SpiffeIdPatternPropertiesTest {

    @Provide
    Arbitrary<String> segment() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric().withChars('.', '-', '_')
                .ofMinLength(1).ofMaxLength(8).filter(s -> !s.equals(".") && !s.equals(".."));
    }

    @Provide
    Arbitrary<List<String>> path() {
        return segment().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> trustDomain() {
        return Arbitraries.of("example.org", "example.com", "prod.example.org", "td-1", "a_b.c");
    }

    private static SpiffeId id(String td, List<String> segments) {
        return SpiffeId.parse("spiffe://" + td + "/" + String.join("/", segments));
    }

    private static SpiffeIdPattern pattern(String td, List<String> segments) {
        return SpiffeIdPattern.parse("spiffe://" + td + "/" + String.join("/", segments));
    }

    private static List<String> plus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Property
    void literalPatternMatchesExactlyItsOwnId(@ForAll("trustDomain") String td, @ForAll("path") List<String> path,
            @ForAll("path") List<String> other) {
        SpiffeIdPattern p = pattern(td, path);

        assertThat(p.matches(id(td, path))).isTrue();
        assertThat(p.matches(id(td, other))).isEqualTo(other.equals(path));
    }

    @Property
    void literalSegmentsAreCaseSensitive(@ForAll("trustDomain") String td, @ForAll("path") List<String> path) {
        List<String> upper = path.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
        Assume.that(!upper.equals(path));

        assertThat(pattern(td, path).matches(id(td, upper))).isFalse();
    }

    @Property
    void singleStarMatchesExactlyOneSegment(@ForAll("trustDomain") String td, @ForAll("path") List<String> prefix,
            @ForAll("segment") String one, @ForAll("path") List<String> more) {
        SpiffeIdPattern p = pattern(td, plus(prefix, List.of("*")));

        assertThat(p.matches(id(td, plus(prefix, List.of(one))))).isTrue();
        assertThat(p.matches(id(td, prefix))).as("zero segments").isFalse();
        assertThat(p.matches(id(td, plus(plus(prefix, List.of(one)), more)))).as("more segments").isFalse();
    }

    @Property
    void innerStarMatchesAnySegmentButTheRestLiterally(@ForAll("trustDomain") String td, @ForAll("segment") String any,
            @ForAll("segment") String last, @ForAll("segment") String otherLast) {
        SpiffeIdPattern p = SpiffeIdPattern.parse("spiffe://" + td + "/ns/*/sa/" + last);

        assertThat(p.matches(id(td, List.of("ns", any, "sa", last)))).isTrue();
        assertThat(p.matches(id(td, List.of("ns", any, "sa", otherLast)))).isEqualTo(otherLast.equals(last));
        assertThat(p.matches(id(td, List.of("other", any, "sa", last)))).isFalse();
    }

    @Property
    void trailingDoubleStarMatchesOneOrMoreSegments(@ForAll("trustDomain") String td,
            @ForAll("path") List<String> prefix, @ForAll("path") List<String> rest) {
        SpiffeIdPattern p = pattern(td, plus(prefix, List.of("**")));

        assertThat(p.matches(id(td, plus(prefix, rest)))).isTrue();
        assertThat(p.matches(id(td, prefix))).as("zero segments").isFalse();
    }

    @Property
    void doubleStarAloneMatchesEveryWorkloadButNotTheTrustDomainItself(@ForAll("trustDomain") String td,
            @ForAll("path") List<String> path) {
        SpiffeIdPattern p = SpiffeIdPattern.parse("spiffe://" + td + "/**");

        assertThat(p.matches(id(td, path))).isTrue();
        assertThat(p.matches(SpiffeId.parse("spiffe://" + td))).isFalse();
    }

    @Property
    void trustDomainIsMatchedLiterally(@ForAll("trustDomain") String td, @ForAll("trustDomain") String other,
            @ForAll("path") List<String> path) {
        Assume.that(!td.equals(other));

        assertThat(pattern(td, path).matches(id(other, path))).isFalse();
        assertThat(SpiffeIdPattern.parse("spiffe://" + td + "/**").matches(id(other, path))).isFalse();
        assertThat(SpiffeIdPattern.parse("spiffe://" + td + "/*").matches(id("sub." + td, List.of("x")))).isFalse();
    }

    @Property
    void toStringParsesBackToAnEqualPattern(@ForAll("trustDomain") String td, @ForAll("path") List<String> path) {
        SpiffeIdPattern p = pattern(td, plus(path, List.of("**")));

        assertThat(SpiffeIdPattern.parse(p.toString())).isEqualTo(p);
    }

    @Example
    void malformedPatternsAreRefused() {
        for (String bad : List.of("example.org/**", "https://example.org/**", "spiffe://example.org",
                "spiffe://example.org/", "spiffe://example.org/**/x", "spiffe://*.example.org/**",
                "spiffe://Example.org/**", "spiffe://example.org/a//b", "spiffe://example.org/a/../b",
                "spiffe://example.org/a?b")) {
            assertThatThrownBy(() -> SpiffeIdPattern.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
