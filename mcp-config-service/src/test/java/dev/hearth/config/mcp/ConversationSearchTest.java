package dev.hearth.config.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConversationSearchTest {

    @Test
    void likeWildcardsInTheUsersTextAreLiteral() {
        assertThat(ConversationSearch.escapeLike("100%")).isEqualTo("100\\%");
        assertThat(ConversationSearch.escapeLike("snake_case")).isEqualTo("snake\\_case");
        assertThat(ConversationSearch.escapeLike("C:\\temp")).isEqualTo("C:\\\\temp");
        assertThat(ConversationSearch.escapeLike("plain words")).isEqualTo("plain words");
    }

    @Test
    void aSnippetKeepsContextAroundTheMatchAndMarksWhatWasCut() {
        String before = "a".repeat(300);
        String after = "b".repeat(300);
        String snippet = ConversationSearch.snippet(before + "Kitchen light" + after, "kitchen LIGHT");
        int context = ConversationSearch.CONTEXT;
        assertThat(snippet).isEqualTo("…" + "a".repeat(context) + "Kitchen light" + "b".repeat(context) + "…");
        assertThat(ConversationSearch.snippet("turn on the light", "turn")).isEqualTo("turn on the light");
    }

    @Test
    void aSnippetSurvivesTextWhoseCaseFoldingChangesItsLength() {
        // "İ" lower-cases to two chars: the index may not line up; the snippet must still be a substring.
        String content = "İ".repeat(50) + " lamp";
        String snippet = ConversationSearch.snippet(content, "lamp");
        assertThat(content).contains(snippet.replace("…", ""));
        assertThat(ConversationSearch.snippet("short", "not there")).isEqualTo("short");
    }
}
