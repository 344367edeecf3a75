package dev.hearth.router.voice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeardTextTest {

    private static final String ANSWER = "The lamp is on.  It is bright now. Anything else?";
    private static final List<HeardText.Sentence> SPOKEN = List.of(
            new HeardText.Sentence("The lamp is on.", 400),
            new HeardText.Sentence("It is bright now.", 400),
            new HeardText.Sentence("Anything else?", 200));

    @Test
    void nothingIsHeardBeforePlaybackStarts() {
        assertThat(HeardText.heard(ANSWER, SPOKEN, 0)).isEmpty();
        assertThat(HeardText.heard(ANSWER, List.of(), 500)).isEmpty();
    }

    @Test
    void wholeSentencesThatPlayedAreHeardWithTheModelsSpacing() {
        assertThat(HeardText.heard(ANSWER, SPOKEN, 400)).isEqualTo("The lamp is on.");
        assertThat(HeardText.heard(ANSWER, SPOKEN, 800)).isEqualTo("The lamp is on.  It is bright now.");
        assertThat(HeardText.heard(ANSWER, SPOKEN, 5000)).isEqualTo(ANSWER);
    }

    @Test
    void theSentencePlayingGivesItsLeadingWordsInProportion() {
        // 4 words over 400 ms: 100 ms per word, whole words only
        assertThat(HeardText.heard(ANSWER, SPOKEN, 99)).isEmpty();
        assertThat(HeardText.heard(ANSWER, SPOKEN, 100)).isEqualTo("The");
        assertThat(HeardText.heard(ANSWER, SPOKEN, 250)).isEqualTo("The lamp");
        assertThat(HeardText.heard(ANSWER, SPOKEN, 700)).isEqualTo("The lamp is on.  It is bright");
        assertThat(HeardText.heard(ANSWER, SPOKEN, 899)).isEqualTo("The lamp is on.  It is bright now.");
    }

    @Test
    void onlyWhatWasSynthesizedCanBeHeard() {
        // the model wrote more than was spoken: the unspoken rest is not heard however long it plays
        assertThat(HeardText.heard(ANSWER, SPOKEN.subList(0, 1), 5000)).isEqualTo("The lamp is on.");
    }

    @Test
    void textTheEngineChangedFallsBackToItsOwnWords() {
        List<HeardText.Sentence> spoken = List.of(new HeardText.Sentence("Doctor Smith is here.", 400),
                new HeardText.Sentence("Come in.", 200));
        assertThat(HeardText.heard("Dr. Smith is here. Come in.", spoken, 500)).isEqualTo("Doctor Smith is here. Come");
    }
}
