package io.certwright.ca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/// `*` stands for any run without `/` or `@`, `**` for any run at all; everything else for itself, case-sensitively.
class GlobPatternPropertiesTest {

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('A', 'Z', '.', ':', '-', '/', '@')
                .ofMaxLength(16);
    }

    @Provide
    Arbitrary<String> literal() {
        return text().filter(s -> !s.isBlank());
    }

    @Provide
    Arbitrary<String> word() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('.', '-', ':').ofMaxLength(10);
    }

    @Property
    void literalPatternMatchesOnlyItself(@ForAll("literal") String literal, @ForAll("text") String other) {
        GlobPattern p = new GlobPattern(literal);

        assertThat(p.matches(literal)).isTrue();
        assertThat(p.matches(other)).isEqualTo(other.equals(literal));
    }

    @Property
    void doubleStarMatchesEverything(@ForAll("text") String any) {
        assertThat(new GlobPattern("**").matches(any)).isTrue();
    }

    @Property
    void singleStarMatchesRunsWithoutSlashOrAt(@ForAll("literal") String prefix, @ForAll("text") String tail) {
        GlobPattern p = new GlobPattern(prefix + "*");
        boolean plain = tail.indexOf('/') < 0 && tail.indexOf('@') < 0;

        assertThat(p.matches(prefix + tail)).isEqualTo(plain);
    }

    @Property
    void trailingDoubleStarMatchesAnyTail(@ForAll("literal") String prefix, @ForAll("text") String tail) {
        assertThat(new GlobPattern(prefix + "**").matches(prefix + tail)).isTrue();
    }

    @Property
    void emailGlobAdmitsAnyLocalPartOfItsDomainOnly(@ForAll("word") String local, @ForAll("word") String domain,
            @ForAll("word") String otherDomain) {
        GlobPattern p = new GlobPattern("*@" + domain);

        assertThat(p.matches(local + "@" + domain)).isTrue();
        assertThat(p.matches(local + "@" + otherDomain)).isEqualTo(otherDomain.equals(domain));
        assertThat(p.matches(local + "@x@" + domain)).as("second @").isFalse();
    }

    @Property
    void matchingIsCaseSensitive(@ForAll("word") String word) {
        Assume.that(word.chars().anyMatch(Character::isLetter));

        assertThat(new GlobPattern(word).matches(word.toUpperCase(java.util.Locale.ROOT))).isFalse();
    }

    @Example
    void hostWildcardDoesNotCrossPathSegments() {
        GlobPattern p = new GlobPattern("https://*.example.com/**");

        assertThat(p.matches("https://api.example.com/v1/x")).isTrue();
        assertThat(p.matches("https://a.b.example.com/")).isTrue();
        assertThat(p.matches("https://evil.com/.example.com/")).isFalse();
        assertThat(p.matches("http://api.example.com/")).isFalse();
    }

    @Example
    void blankPatternIsRefused() {
        assertThatThrownBy(() -> GlobPattern.parse("  ")).isInstanceOf(IllegalArgumentException.class);
    }
}
