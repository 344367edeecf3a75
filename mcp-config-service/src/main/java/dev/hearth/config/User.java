package dev.hearth.config;

import java.time.Instant;

/**
 * Someone Hearth serves: the owner of API keys and conversations.
 *
 * @param id          the {@code user_id} keys and conversations carry: 1 to 128 of {@code A-Z a-z 0-9 . _ @ -}
 * @param displayName how to call them; the id until an admin names them
 */
public record User(String id, String displayName, Instant createdAt, Instant updatedAt) {

    /** What the users table's CHECK allows; API keys accept the same ids. */
    public static final String ID_PATTERN = "[A-Za-z0-9._@-]{1,128}";
    public static final int MAX_DISPLAY_NAME_LENGTH = 128;
}
