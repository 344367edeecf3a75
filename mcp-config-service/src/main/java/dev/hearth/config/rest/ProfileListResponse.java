package dev.hearth.config.rest;

import java.util.List;

/** {@code GET /admin/v1/profiles}: every profile, by name. */
public record ProfileListResponse(List<ProfileResponse> profiles) {
}
