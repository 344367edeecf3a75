package dev.hearth.llm.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class GeminiErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "retryDelay {0} -> {1} ms")
    @CsvSource({ "30s, 30000", "1.5s, 1500", "0.000000001s, 1", "0s, 0", "'', -1", "30, -1", "-2s, -1", "soon, -1" })
    void readsRetryInfoDelays(String delay, long expectedMs) throws Exception {
        String error = "{\"code\":429,\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
                + "\"retryDelay\":\"" + delay + "\"}]}";

        OptionalLong ms = GeminiErrors.retryDelay(JSON.readTree(error));

        assertEquals(expectedMs < 0 ? OptionalLong.empty() : OptionalLong.of(expectedMs), ms);
    }
}
