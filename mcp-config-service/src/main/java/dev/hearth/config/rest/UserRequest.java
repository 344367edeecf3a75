package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.User;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /admin/v1/users} and {@code PUT /admin/v1/users/{id}}: {@code {id, display_name?}}.
 * {@code created_at} and {@code updated_at} are read-only: accepted and ignored, so GET, edit, PUT works.
 */
public record UserRequest(
        String id,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("created_at") Object createdAt,
        @JsonProperty("updated_at") Object updatedAt,
        @JsonAnySetter Map<String, Object> unknownFields) {

    static final Pattern ID = Pattern.compile(User.ID_PATTERN);

    /**
     * The validated user (no times yet), or a 400 {@code invalid_request} naming every problem at once.
     *
     * @param pathId the id in the path of a PUT (the body may omit it); null for a POST
     */
    User validate(String pathId) {
        FieldProblems problems = new FieldProblems();
        problems.unknown("", unknownFields);
        String checkedId = pathId == null ? id : pathId;
        if (pathId == null) {
            if (id == null || id.isEmpty()) {
                problems.add("id is required");
            } else if (!ID.matcher(id).matches()) {
                problems.add("id must be 1 to 128 of A-Z a-z 0-9 . _ @ -");
            }
        } else if (id != null && !id.equals(pathId)) {
            problems.add("id ('" + id + "') differs from the id in the path ('" + pathId
                    + "'): a user cannot be renamed by id; change display_name instead");
        }
        String name = displayName == null ? null : displayName.strip();
        if (displayName != null) {
            if (name.isEmpty()) {
                problems.add("display_name must not be blank (leave it out to use the id)");
            } else {
                problems.text("display_name", name, User.MAX_DISPLAY_NAME_LENGTH, false);
            }
        }
        problems.throwIfAny();
        return new User(checkedId, name == null ? checkedId : name, null, null);
    }
}
