package dev.hearth.config.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedToolsTest {

    @Test
    void namesMatchExactly() {
        AllowedTools allowed = new AllowedTools(List.of("current_time"));
        assertThat(allowed.allows("current_time")).isTrue();
        assertThat(allowed.allows("current_time_2")).isFalse();
        assertThat(allowed.allows("current")).isFalse();
    }

    @Test
    void aStarIsAnyRunOfCharactersAndEverythingElseIsLiteral() {
        AllowedTools allowed = new AllowedTools(List.of("zigbee__*", "a.b"));
        assertThat(allowed.allows("zigbee__light_on")).isTrue();
        assertThat(allowed.allows("zigbee__")).isTrue();
        assertThat(allowed.allows("zigbee_x")).isFalse();
        assertThat(allowed.allows("a.b")).isTrue();
        assertThat(allowed.allows("axb")).isFalse();
        assertThat(new AllowedTools(List.of("*")).allows("anything")).isTrue();
        assertThat(new AllowedTools(List.of("*_time")).allows("current_time")).isTrue();
    }

    @Test
    void emptyAllowsNothing() {
        assertThat(new AllowedTools(List.of()).allows("current_time")).isFalse();
        assertThat(new AllowedTools(List.of("")).allows("")).isFalse();
    }
}
