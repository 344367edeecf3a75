package dev.hearth.llm.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateEvent;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

class ChatCompletionStreamDecoderTest {

    private final ChatCompletionStreamDecoder decoder = new ChatCompletionStreamDecoder(new ObjectMapper(), "p", "asked");

    @Test
    void isNotFinishedUntilTheUpstreamSaysSo() {
        decoder.decode("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}");
        assertFalse(decoder.finished());
        assertFalse(decoder.isDoneMarker("{\"choices\":[]}"));
        assertTrue(decoder.isDoneMarker(" [DONE] "));
        assertTrue(decoder.finished());
        assertEquals(FinishReason.FINISH_REASON_STOP, decoder.done().getDone().getFinishReason());
        assertEquals("asked", decoder.done().getDone().getModel(), "no model in the chunks: the one asked for");
    }

    @Test
    void skipsEmptyContentAndKeepsArgumentsSentAsObjects() {
        assertEquals(List.of(), decoder.decode("{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}"));
        assertEquals(List.of(), decoder.decode(""));

        List<GenerateEvent> events = decoder.decode(
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]}}]}");

        assertEquals("{\"a\":1}", events.get(0).getToolCall().getArgumentsFragment());
        assertEquals(0, events.get(0).getToolCall().getIndex());
    }

    @Test
    void mapsContentFilterToIncomplete() {
        decoder.decode("{\"choices\":[{\"delta\":{},\"finish_reason\":\"content_filter\"}]}");
        assertEquals(FinishReason.FINISH_REASON_INCOMPLETE, decoder.done().getDone().getFinishReason());
    }

    @Test
    void failsOnDataThatIsNotJsonAndOnErrorEvents() {
        StatusRuntimeException garbage = assertThrows(StatusRuntimeException.class, () -> decoder.decode("<html>"));
        assertEquals(Status.Code.UNKNOWN, garbage.getStatus().getCode());

        StatusRuntimeException limited = assertThrows(StatusRuntimeException.class,
                () -> decoder.decode("{\"error\":{\"message\":\"Rate limit exceeded\",\"code\":429}}"));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, limited.getStatus().getCode());

        StatusRuntimeException other = assertThrows(StatusRuntimeException.class,
                () -> decoder.decode("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
        assertEquals(Status.Code.UNAVAILABLE, other.getStatus().getCode());
    }
}
