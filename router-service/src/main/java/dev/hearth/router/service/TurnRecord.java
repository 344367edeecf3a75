package dev.hearth.router.service;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A finished (or interrupted) turn's messages, user message first, waiting to be stored: either as
 * they are, or with the last answer cut to what the user heard ({@link #storeHeard}).
 */
public final class TurnRecord {

    private final List<StoredMessage> messages;
    private final Function<List<StoredMessage>, Uni<Void>> writer;

    TurnRecord(List<StoredMessage> messages, Function<List<StoredMessage>, Uni<Void>> writer) {
        this.messages = List.copyOf(messages);
        this.writer = writer;
    }

    public List<StoredMessage> messages() {
        return messages;
    }

    /** Stores the messages as the turn left them. */
    public Uni<Void> store() {
        return writer.apply(messages);
    }

    /**
     * Stores the turn with its last answer replaced by what was heard of the spoken answer, marked
     * truncated and cancelled. {@code heard} is a prefix of the text of every assistant message of the
     * turn in order (tool-asking rounds speak too): the part belonging to earlier rounds stays in
     * their messages, the rest becomes the last answer's content.
     */
    public Uni<Void> storeHeard(String heard) {
        return writer.apply(withHeard(heard));
    }

    List<StoredMessage> withHeard(String heard) {
        int last = -1;
        int earlierChars = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).getMessage().getRole() == Role.ROLE_ASSISTANT) {
                if (last >= 0) {
                    earlierChars += messages.get(last).getMessage().getContent().length();
                }
                last = i;
            }
        }
        List<StoredMessage> out = new ArrayList<>(messages);
        String content = heard.length() > earlierChars ? heard.substring(earlierChars).strip() : "";
        if (last < 0) {
            out.add(AnswerRecorder.stored(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).setContent(content).build(),
                    FinishReason.FINISH_REASON_CANCELLED, "", ""));
            return out;
        }
        StoredMessage answer = messages.get(last);
        out.set(last, answer.toBuilder()
                .setMessage(answer.getMessage().toBuilder().setContent(content))
                .setFinishReason(FinishReason.FINISH_REASON_CANCELLED)
                .setTruncated(true)
                .build());
        return out;
    }
}
