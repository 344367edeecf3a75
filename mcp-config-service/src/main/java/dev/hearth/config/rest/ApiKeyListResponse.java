package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /admin/v1/api-keys}: every key, oldest first, revoked and expired ones included. */
public record ApiKeyListResponse(@JsonProperty("api_keys") List<ApiKeyResponse> apiKeys) {
}
