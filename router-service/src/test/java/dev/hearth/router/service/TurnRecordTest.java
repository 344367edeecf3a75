package dev.hearth.router.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.proto.v1.ToolCall;
import io.smallrye.mutiny.Uni;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnRecordTest {

    private static StoredMessage message(Role role, String content, FinishReason reason) {
        return StoredMessage.newBuilder().setMessage(ChatMessage.newBuilder().setRole(role).setContent(content))
                .setFinishReason(reason).build();
    }

    private static TurnRecord record(StoredMessage... messages) {
        return new TurnRecord(List.of(messages), m -> Uni.createFrom().voidItem());
    }

    @Test
    void theLastAnswerBecomesWhatWasHeardTruncatedAndCancelled() {
        TurnRecord record = record(message(Role.ROLE_USER, "tell me a story", FinishReason.FINISH_REASON_UNSPECIFIED),
                message(Role.ROLE_ASSISTANT, "Once upon a time. The end.", FinishReason.FINISH_REASON_STOP));
        List<StoredMessage> heard = record.withHeard("Once upon a time.");
        assertThat(heard.get(0)).isEqualTo(record.messages().get(0));
        assertThat(heard.get(1).getMessage().getContent()).isEqualTo("Once upon a time.");
        assertThat(heard.get(1).getTruncated()).isTrue();
        assertThat(heard.get(1).getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CANCELLED);
        assertThat(record.withHeard("").get(1).getMessage().getContent()).isEmpty();
    }

    @Test
    void textOfEarlierToolRoundsStaysInTheirMessages() {
        StoredMessage asking = StoredMessage.newBuilder().setFinishReason(FinishReason.FINISH_REASON_TOOL_CALLS)
                .setMessage(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).setContent("Let me check. ")
                        .addToolCalls(ToolCall.newBuilder().setId("c1").setName("current_time"))).build();
        TurnRecord record = record(message(Role.ROLE_USER, "time?", FinishReason.FINISH_REASON_UNSPECIFIED), asking,
                message(Role.ROLE_TOOL, "{}", FinishReason.FINISH_REASON_UNSPECIFIED),
                message(Role.ROLE_ASSISTANT, "It is noon. Anything else?", FinishReason.FINISH_REASON_STOP));
        List<StoredMessage> heard = record.withHeard("Let me check. It is noon.");
        assertThat(heard.get(1)).isEqualTo(asking);
        assertThat(heard.get(3).getMessage().getContent()).isEqualTo("It is noon.");
        assertThat(heard.get(3).getTruncated()).isTrue();
    }
}
