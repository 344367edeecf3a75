package dev.hearth.llm.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.ToolCallDelta;

class MessagesStreamDecoderTest {

    private final MessagesStreamDecoder decoder = new MessagesStreamDecoder(new ObjectMapper(), "claude",
            "claude-sonnet-4-5", new ContinuationTrimmer(""));

    @Test
    void countsCachedInputAsPromptAndTakesTheLatestCounts() {
        decode("""
                {"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":10,
                 "cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":1}}}""");
        decode("""
                {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"input_tokens":12,
                 "cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":64}}""");
        assertFalse(decoder.finished());
        assertTrue(decoder.isMessageStop(decoder.parse("{\"type\":\"message_stop\"}")));

        GenerateDone done = decoder.done().getDone();
        assertEquals(1212, done.getUsage().getPromptTokens());
        assertEquals(64, done.getUsage().getCompletionTokens());
        assertEquals(FinishReason.FINISH_REASON_LENGTH, done.getFinishReason());
        assertEquals("claude-sonnet-4-5-20250929", done.getModel());
        assertTrue(decoder.finished());
    }

    @Test
    void aToolInputGivenWholeAtTheStartIsPassedOnAtTheStop() {
        List<GenerateEvent> events = new ArrayList<>();
        events.addAll(decode("""
                {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1",
                 "name":"set_light","input":{"room":"kitchen"}}}"""));
        events.addAll(decode("{\"type\":\"content_block_stop\",\"index\":0}"));

        assertEquals(List.of(
                ToolCallDelta.newBuilder().setIndex(0).setId("toolu_1").setName("set_light").build(),
                ToolCallDelta.newBuilder().setIndex(0).setArgumentsFragment("{\"room\":\"kitchen\"}").build()),
                events.stream().map(GenerateEvent::getToolCall).toList());
    }

    @Test
    void aNewlineOnlyKeepAliveIsNothing() {
        assertEquals(List.of(), decoder.decode(decoder.parse("  ")));
        assertFalse(decoder.isMessageStop(decoder.parse("")));
    }

    private List<GenerateEvent> decode(String data) {
        return decoder.decode(decoder.parse(data.replace("\n", "")));
    }
}
