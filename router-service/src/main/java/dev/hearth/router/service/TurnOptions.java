package dev.hearth.router.service;

import java.util.function.Consumer;

/**
 * How a turn is run for a caller other than the text chat.
 *
 * @param newConversationId when not blank: the conversation does not exist yet and gets this id (a
 *        voice call announces its conversation before its first turn); the request's own
 *        conversation id is then ignored
 * @param deferredStore when set, the turn's messages are not stored when it ends but handed over as a
 *        {@link TurnRecord}, for the caller to store once it knows what was said (a spoken answer is
 *        stored as far as it was heard)
 */
public record TurnOptions(String newConversationId, Consumer<TurnRecord> deferredStore) {

    /** The text chat: conversations as the request names them, stored at the turn's end. */
    public static final TurnOptions TEXT = new TurnOptions("", null);
}
