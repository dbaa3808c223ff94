package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/// Free text is escaped for storage only where a database would refuse or alter it, reversibly and without
/// two texts sharing one stored form.
class StoredTextTest {

    private static final char ESC = '\u001b';

    @Test
    void ordinaryTextIsStoredUnchanged() throws Exception {
        for (String s : new String[] {"", "payments", "caf\u00e9 \uD83D\uDE00 \u4e2d\u6587", "a\\b%c'd\"e\n\t"}) {
            assertThat(Codec.storedText(s)).isSameAs(s);
            assertThat(Codec.text(s)).isEqualTo(s);
        }
    }

    @Test
    void nulUnpairedSurrogatesAndTheEscapeCharacterAreEscapedAndRestored() throws Exception {
        String s = "a\u0000b" + ESC + "c\uD800d\uDC00e\uDBFF";

        String stored = Codec.storedText(s);

        assertThat(stored).doesNotContain("\u0000").isEqualTo("a" + ESC + "0b" + ESC + "ec" + ESC + "ud800d" + ESC
                + "udc00e" + ESC + "udbff");
        assertThat(stored.chars()).noneMatch(c -> Character.isSurrogate((char) c.intValue()));
        assertThat(Codec.text(stored)).isEqualTo(s);
    }

    @Test
    void randomTextRoundTripsAndDistinctTextsStayDistinct() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        char[] alphabet = {'a', 'e', '0', 'u', '\u0000', ESC, '\uD800', '\uDC00', '\uD83D', '\uDE00', '\u00e9'};
        Map<String, String> originals = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[random.nextInt(8)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = alphabet[random.nextInt(alphabet.length)];
            }
            String s = new String(chars);
            String stored = Codec.storedText(s);

            assertThat(Codec.text(stored)).isEqualTo(s);
            assertThat(stored.indexOf('\u0000')).isNegative();
            String earlier = originals.putIfAbsent(stored, s);
            assertThat(earlier == null || earlier.equals(s)).as("%s and %s share a stored form", earlier, s).isTrue();
        }
    }

    @Test
    void storedTextWithAnEscapeNotWrittenByTheStoreIsRejected() {
        for (String bad : new String[] {"x" + ESC, "x" + ESC + "q", "x" + ESC + "u12", "x" + ESC + "uzzzz"}) {
            assertThatThrownBy(() -> Codec.text(bad)).as(bad).isInstanceOf(SQLException.class);
        }
    }
}
