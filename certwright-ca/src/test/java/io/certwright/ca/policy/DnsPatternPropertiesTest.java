package io.certwright.ca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/// `*.` stands for exactly one label, `**.` for one or more, anything else for itself; case is ignored and
/// invalid names never match.
class DnsPatternPropertiesTest {

    @Provide
    Arbitrary<String> label() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> hyphenated = Combinators.combine(plain, plain).as((a, b) -> a + "-" + b);
        return Arbitraries.oneOf(plain, plain, hyphenated);
    }

    @Provide
    Arbitrary<String> name() {
        return label().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    }

    @Provide
    Arbitrary<String> suffix() {
        return label().list().ofMinSize(2).ofMaxSize(3).map(l -> String.join(".", l));
    }

    @Provide
    Arbitrary<String> invalidName() {
        return Arbitraries.oneOf(
                name().map(n -> n + "."),
                name().map(n -> n + "..com"),
                name().map(n -> "-" + n),
                name().map(n -> n + "-"),
                name().map(n -> n.replaceFirst("^.", "_")),
                name().map(n -> n + ".ex ample"),
                name().map(n -> "a".repeat(64) + "." + n),
                Arbitraries.just(""),
                Arbitraries.just("*"),
                name().map(n -> "*.*." + n),
                name().map(n -> "a*." + n));
    }

    @Provide
    Arbitrary<DnsPattern> anyPattern() {
        return Arbitraries.oneOf(
                Arbitraries.just(new DnsPattern("**")),
                suffix().map(s -> new DnsPattern("**." + s)),
                suffix().map(s -> new DnsPattern("*." + s)),
                name().map(DnsPattern::new));
    }

    @Property
    void exactPatternMatchesTheNameInAnyCase(@ForAll("name") String name) {
        DnsPattern p = DnsPattern.parse(name);

        assertThat(p.matches(name)).isTrue();
        assertThat(p.matches(name.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(DnsPattern.parse(name.toUpperCase(Locale.ROOT)).matches(name)).isTrue();
    }

    @Property
    void exactPatternMatchesNoOtherName(@ForAll("name") String name, @ForAll("name") String other) {
        DnsPattern p = DnsPattern.parse(name);

        assertThat(p.matches(other)).isEqualTo(other.equalsIgnoreCase(name));
        assertThat(p.matches("x." + name)).isFalse();
    }

    @Property
    void singleStarMatchesExactlyOneLabel(@ForAll("label") String label, @ForAll("label") String extra,
            @ForAll("suffix") String suffix) {
        DnsPattern p = DnsPattern.parse("*." + suffix);

        assertThat(p.matches(label + "." + suffix)).isTrue();
        assertThat(p.matches(label.toUpperCase(Locale.ROOT) + "." + suffix.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(p.matches(extra + "." + label + "." + suffix)).as("two labels").isFalse();
        assertThat(p.matches(suffix)).as("zero labels").isFalse();
        assertThat(p.matches(label + suffix)).as("not at a label boundary").isFalse();
    }

    @Property
    void doubleStarMatchesOneOrMoreLabels(@ForAll("name") String prefix, @ForAll("suffix") String suffix) {
        DnsPattern p = DnsPattern.parse("**." + suffix);

        assertThat(p.matches(prefix + "." + suffix)).isTrue();
        assertThat(p.matches(prefix.toUpperCase(Locale.ROOT) + "." + suffix)).isTrue();
        assertThat(p.matches(suffix)).as("zero labels").isFalse();
        assertThat(p.matches(prefix + suffix)).as("not at a label boundary").isFalse();
    }

    @Property
    void doubleStarAloneMatchesEveryValidName(@ForAll("name") String name) {
        assertThat(DnsPattern.parse("**").matches(name)).isTrue();
    }

    @Property
    void wildcardPatternsDoNotMatchOtherSuffixes(@ForAll("label") String label, @ForAll("suffix") String suffix,
            @ForAll("suffix") String other) {
        String name = label + "." + other;
        boolean underSuffix = other.equals(suffix) || other.endsWith("." + suffix);

        assertThat(DnsPattern.parse("**." + suffix).matches(name)).isEqualTo(underSuffix);
        assertThat(DnsPattern.parse("*." + suffix).matches(name)).isEqualTo(other.equals(suffix));
    }

    @Property
    void noPatternMatchesAnInvalidName(@ForAll("anyPattern") DnsPattern pattern, @ForAll("invalidName") String name) {
        assertThat(DnsNames.isValidSanName(name.toLowerCase(Locale.ROOT))).isFalse();
        assertThat(pattern.matches(name)).isFalse();
    }

    @Property
    void wildcardCertificateNameIsMatchedOnlyByPatternsCoveringIt(@ForAll("suffix") String suffix,
            @ForAll("label") String label) {
        String wildcard = "*." + suffix;

        assertThat(DnsPattern.parse(label + "." + suffix).matches(wildcard)).isFalse();
        assertThat(DnsPattern.parse(wildcard).matches(wildcard)).isTrue();
        assertThat(DnsPattern.parse("**." + suffix).matches(wildcard)).isTrue();
    }

    @Property(tries = 50)
    void nameLongerThan253CharactersNeverMatches(@ForAll @IntRange(min = 254, max = 300) int length) {
        String name = longName(length);

        assertThat(DnsPattern.parse("**").matches(name)).isFalse();
    }

    private static String longName(int length) {
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            b.append(b.isEmpty() ? "" : ".").append("abcdefghij");
        }
        return b.substring(0, length).replaceAll("\\.$", "a");
    }

    @Example
    void malformedPatternsAreRefused() {
        for (String bad : List.of("*", "***.example.com", "a.*.example.com", "*example.com", "example..com",
                "exa_mple.com", "example.com.")) {
            assertThatThrownBy(() -> DnsPattern.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
