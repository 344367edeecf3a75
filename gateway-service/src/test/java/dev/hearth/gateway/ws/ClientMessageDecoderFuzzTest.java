package dev.hearth.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fuzzes the decoding of inbound client messages: whatever a client sends, decoding either yields a
 * well-formed message or a {@link ProtocolException} with a code, never any other failure (which
 * would be answered as {@code internal}). In CI the regression corpus under
 * {@code ClientMessageDecoderFuzzTestInputs/} runs as plain tests; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ClientMessageDecoderFuzzTest {

    private static final ClientMessageDecoder DECODER = new ClientMessageDecoder(new ObjectMapper(), 65536);

    @FuzzTest(maxDuration = "30s")
    void decodingFailsOnlyWithAProtocolError(@NotNull String text) { // a text frame is never null
        try {
            ClientMessage message = DECODER.decode(text);
            assertThat(message.action()).isNotBlank();
            assertThat(message.requestId()).isNotBlank().hasSizeLessThanOrEqualTo(128);
            assertThat(message.payload()).isNotNull();
            // The payload accessors the actions use fail only with protocol errors too.
            for (String field : new String[] {"text", "profile", "conversation_id", "stream_id"}) {
                try {
                    message.optionalString(field);
                } catch (ProtocolException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
                }
            }
            try {
                message.optionalBoolean("share");
            } catch (ProtocolException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
            }
        } catch (ProtocolException e) {
            assertThat(e.code()).isIn(ErrorCode.INVALID_MESSAGE, ErrorCode.MESSAGE_TOO_LARGE);
            assertThat(e.getMessage()).isNotBlank();
        }
        // Used to answer a message that failed to decode: must never throw.
        String requestId = DECODER.requestIdOf(text);
        assertThat(requestId == null || requestId.length() <= 128).isTrue();
    }
}
