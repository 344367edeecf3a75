package dev.hearth.llm.provider.ollama;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import dev.hearth.llm.provider.ProviderErrors;

/**
 * The server root the native API hangs off. People paste what they know: nothing (a local
 * Ollama), the root, ollama.com's {@code https://ollama.com/api}, or the OpenAI-compatible
 * {@code .../v1} an existing provider entry has; all of them mean the same server.
 */
final class OllamaBaseUrl {

    static final String DEFAULT = "http://localhost:11434";

    private OllamaBaseUrl() {
    }

    static URI of(String baseUrl) {
        String trimmed = withoutTrailingSlashes(baseUrl.strip());
        if (trimmed.isEmpty()) {
            trimmed = DEFAULT;
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.endsWith("/api") || lower.endsWith("/v1")) {
            trimmed = withoutTrailingSlashes(trimmed.substring(0, trimmed.lastIndexOf('/')));
        }
        try {
            URI uri = new URI(trimmed);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
                throw ProviderErrors.invalidArgument("provider.base_url must be an http(s) URL like "
                        + DEFAULT + " for dialect ollama, not '" + baseUrl + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ProviderErrors.invalidArgument("provider.base_url is not a URL: '" + baseUrl + "'");
        }
    }

    private static String withoutTrailingSlashes(String url) {
        String out = url;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
