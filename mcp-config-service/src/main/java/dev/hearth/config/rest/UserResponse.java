package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.User;

/** A user as the admin API shows it. Times are RFC 3339 UTC and read-only. */
public record UserResponse(
        String id,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    static UserResponse of(User user) {
        return new UserResponse(user.id(), user.displayName(), ApiKeyResponse.time(user.createdAt()),
                ApiKeyResponse.time(user.updatedAt()));
    }
}
