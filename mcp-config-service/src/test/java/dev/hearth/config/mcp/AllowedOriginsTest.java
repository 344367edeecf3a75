package dev.hearth.config.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedOriginsTest {

    private final AllowedOrigins allowed = new AllowedOrigins(
            List.of(" https://Home.Example:8443 ", "http://localhost:*", "", "http://[::1]:*"));

    @Test
    void exactOriginsMatchWhateverTheirCase() {
        assertThat(allowed.allows("https://home.example:8443")).isTrue();
        assertThat(allowed.allows("HTTPS://HOME.EXAMPLE:8443")).isTrue();
        assertThat(allowed.allows("https://home.example")).as("another port is another origin").isFalse();
        assertThat(allowed.allows("http://home.example:8443")).as("another scheme is another origin").isFalse();
    }

    @Test
    void aWildcardPortAllowsAnyPortAndNoneButNothingElse() {
        assertThat(allowed.allows("http://localhost")).isTrue();
        assertThat(allowed.allows("http://localhost:5173")).isTrue();
        assertThat(allowed.allows("http://[::1]:8080")).isTrue();
        assertThat(allowed.allows("http://localhost:")).isFalse();
        assertThat(allowed.allows("http://localhost:123456")).isFalse();
        assertThat(allowed.allows("http://localhost:80ab")).isFalse();
        // A look-alike host must not pass as a prefix.
        assertThat(allowed.allows("http://localhost.evil.example")).isFalse();
        assertThat(allowed.allows("http://localhost.evil.example:80")).isFalse();
        assertThat(allowed.allows("https://localhost:8080")).isFalse();
        assertThat(allowed.allows("null")).isFalse();
    }

    @Test
    void anEmptyListAllowsNoBrowser() {
        assertThat(new AllowedOrigins(List.of()).allows("http://localhost")).isFalse();
    }
}
