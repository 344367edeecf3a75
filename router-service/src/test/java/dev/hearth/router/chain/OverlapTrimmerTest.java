package dev.hearth.router.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a continuation adds to a partial answer once its repeat of the partial answer is removed. */
class OverlapTrimmerTest {

    static Stream<Arguments> continuations() {
        return Stream.of(
                // partial answer, continuation as streamed (| between deltas), what the client should get
                Arguments.of("Paris is the capital of", " France.", " France."),
                Arguments.of("Paris is the capital of", "capital| of| France.", " France."),
                Arguments.of("Paris is the capital of", "Paris is the| capital of France.", " France."),
                Arguments.of("Hearth keeps the", "the| house| warm", " house warm"),
                Arguments.of("The capi", "capi|tal city", "tal city"),
                Arguments.of("The answer is a", " apple", " apple"),
                Arguments.of("The answer is a", "n apple", "n apple"),
                Arguments.of("Fire 🔥 is", "🔥 is| warm", " warm"),
                Arguments.of("It is sunny. Tomorrow it will", "Tomorrow it| will| rain.", " rain."),
                Arguments.of("It is the end", "end", ""),
                Arguments.of("Hello", "", ""));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" + \"{1}\"")
    @MethodSource("continuations")
    void passesOnlyTheNewText(String partial, String deltas, String expected) {
        OverlapTrimmer trimmer = new OverlapTrimmer(partial, 300, 4);
        StringBuilder passed = new StringBuilder();
        for (String delta : deltas.split("\\|", -1)) {
            passed.append(trimmer.accept(delta));
        }
        passed.append(trimmer.finish());
        assertThat(passed.toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] window {0}")
    @MethodSource("windows")
    void looksOnlyAtTheEndOfALongAnswer(int window, String expected) {
        OverlapTrimmer trimmer = new OverlapTrimmer("one two three four five", window, 4);
        assertThat(trimmer.accept("two three four five six") + trimmer.finish()).isEqualTo(expected);
    }

    static Stream<Arguments> windows() {
        // "two three four five" is the last 19 code points; 18 would cut "two" in the middle
        return Stream.of(Arguments.of(300, " six"), Arguments.of(19, " six"),
                Arguments.of(18, "two three four five six"));
    }
}
