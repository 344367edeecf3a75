package dev.hearth.config.rest;

import java.util.List;

/** {@code GET /admin/v1/providers}: every provider, by name. */
public record ProviderListResponse(List<ProviderResponse> providers) {
}
