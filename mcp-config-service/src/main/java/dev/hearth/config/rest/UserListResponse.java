package dev.hearth.config.rest;

import java.util.List;

/** {@code GET /admin/v1/users}: every user, by id. */
public record UserListResponse(List<UserResponse> users) {
}
