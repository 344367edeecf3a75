package dev.hearth.llm.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UpstreamErrorMessageTest {

    @Test
    void findsTheMessageInEveryVendorsShape() {
        assertEquals("Incorrect API key", UpstreamErrorMessage.of(
                "{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        assertEquals("model 'llama9' not found", UpstreamErrorMessage.of("{\"error\":\"model 'llama9' not found\"}"));
        assertEquals("Not Found", UpstreamErrorMessage.of("{\"detail\":\"Not Found\"}"));
        assertEquals("overloaded", UpstreamErrorMessage.of(
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"overloaded\"}}"));
        assertEquals("<html>502 Bad Gateway</html>", UpstreamErrorMessage.of("<html>502 Bad Gateway</html>\n"));
        assertEquals("", UpstreamErrorMessage.of(""));
    }

    @Test
    void shortensHugeBodies() {
        String message = UpstreamErrorMessage.of("x".repeat(5000));
        assertTrue(message.length() < 600);
    }
}
