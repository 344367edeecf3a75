package dev.hearth.llm.provider.anthropic;

import java.util.Map;

/**
 * Anthropic's error types and the HTTP status each stands for (its API reference lists them
 * together). An error sent inside a stream has a type but no status; going through the status
 * makes it map like the same error answered before the stream ({@code ProviderErrors}).
 */
final class AnthropicErrorTypes {

    private static final Map<String, Integer> HTTP_STATUS = Map.of(
            "invalid_request_error", 400,
            "authentication_error", 401,
            "billing_error", 402,
            "permission_error", 403,
            "not_found_error", 404,
            "request_too_large", 413,
            "rate_limit_error", 429,
            "api_error", 500,
            "timeout_error", 504,
            "overloaded_error", 529);

    private AnthropicErrorTypes() {
    }

    /** @return the HTTP status of an error type, or null for a type this adapter does not know */
    static Integer httpStatus(String type) {
        return HTTP_STATUS.get(type);
    }
}
