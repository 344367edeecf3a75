package dev.hearth.config.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyGeneratorTest {

    private final ApiKeyGenerator generator = new ApiKeyGenerator();

    @Test
    void keysAreHkAnd43Base64UrlCharactersOf32RandomBytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = generator.newKey();
            assertThat(key).matches("hk_[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(key.substring(3))).hasSize(32);
            seen.add(key);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void idsAreKAnd12Base62Characters() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = generator.newId();
            assertThat(id).matches("k_[A-Za-z0-9]{12}");
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void theHashIsLowerCaseHexSha256() {
        // FIPS 180-2 test vector.
        assertThat(ApiKeyGenerator.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void theDisplayPrefixIsTheFirstTenCharacters() {
        assertThat(ApiKeyGenerator.displayPrefix("hk_abcdefghijklmnop")).isEqualTo("hk_abcdefg");
        assertThat(ApiKeyGenerator.displayPrefix("short")).isEqualTo("short");
    }
}
