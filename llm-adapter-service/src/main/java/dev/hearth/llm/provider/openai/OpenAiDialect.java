package dev.hearth.llm.provider.openai;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hearth.llm.client.OpenAiChatClients;
import dev.hearth.llm.config.LlmAdapterConfig;
import dev.hearth.llm.provider.ApiKeyResolver;
import dev.hearth.llm.provider.ProviderDialect;
import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.provider.TotalTimeout;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;

/**
 * Any server speaking OpenAI's streaming chat completions: OpenAI, OpenRouter, Ollama
 * ({@code http://localhost:11434/v1}), vLLM, llama.cpp server, LM Studio.
 */
@ApplicationScoped
public class OpenAiDialect implements ProviderDialect {

    public static final String NAME = "openai";

    private final OpenAiChatClients clients;
    private final ApiKeyResolver keys;
    private final ObjectMapper json;
    private final LlmAdapterConfig.Upstream upstream;

    public OpenAiDialect(OpenAiChatClients clients, ApiKeyResolver keys, ObjectMapper json, LlmAdapterConfig config) {
        this.clients = clients;
        this.keys = keys;
        this.json = json;
        this.upstream = config.upstream();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Multi<GenerateEvent> generate(GenerateRequest request) {
        // Deferred: each subscription gets its own decoder, and bad input fails the stream.
        Multi<GenerateEvent> events = Multi.createFrom().deferred(() -> {
            ProviderRef provider = request.getProvider();
            String providerName = providerName(request);
            URI baseUri = baseUri(provider.getBaseUrl());
            String authorization = authorization(provider, providerName);
            ObjectNode body = ChatCompletionRequestBody.from(request, json);
            ChatCompletionStreamDecoder decoder = new ChatCompletionStreamDecoder(json, providerName, request.getModel());

            return clients.forBaseUri(baseUri).streamChatCompletion(authorization, body)
                    // Keep-alive comments arrive as empty items, so they count as activity here.
                    .ifNoItem().after(upstream.idleTimeout()).failWith(() -> silent(providerName))
                    // [DONE] is the end of the answer: stop there rather than wait for the server
                    // to end the response (this closes the connection instead of pooling it).
                    .select().first(data -> !decoder.isDoneMarker(data))
                    .onItem().transformToIterable(decoder::decode)
                    // Once the finish reason is in, the answer is whole: a connection that then
                    // drops or hangs (no [DONE]) loses nothing of it.
                    .onFailure(failure -> decoder.finished()).recoverWithCompletion()
                    .onFailure().transform(failure -> ProviderErrors.fromFailure(providerName, failure))
                    .onCompletion().switchTo(() -> decoder.finished()
                            ? Multi.createFrom().item(decoder.done())
                            : Multi.createFrom().failure(ProviderErrors.truncated(providerName)));
        });
        return TotalTimeout.within(events, upstream.totalTimeout(),
                () -> Status.DEADLINE_EXCEEDED.withDescription("provider '" + providerName(request)
                        + "' did not finish within " + upstream.totalTimeout() + " (hearth.llm.upstream.total-timeout)")
                        .asRuntimeException());
    }

    private StatusRuntimeException silent(String providerName) {
        return Status.DEADLINE_EXCEEDED.withDescription("provider '" + providerName + "' sent nothing for "
                + upstream.idleTimeout() + " (the idle timeout, hearth.llm.upstream.idle-timeout)").asRuntimeException();
    }

    private String authorization(ProviderRef provider, String providerName) {
        String envName = provider.getApiKeyEnv().strip();
        if (envName.isEmpty()) {
            return null; // a local server (Ollama, llama.cpp, LM Studio) that wants no key
        }
        String key = keys.resolve(envName).orElseThrow(() -> Status.UNAUTHENTICATED
                .withDescription("provider '" + providerName + "' takes its API key from " + envName
                        + ", which is not set in llm-adapter-service's environment")
                .asRuntimeException());
        return "Bearer " + key;
    }

    private static URI baseUri(String baseUrl) {
        String trimmed = baseUrl.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            throw ProviderErrors.invalidArgument("provider.base_url is required for dialect openai "
                    + "(e.g. https://api.openai.com/v1 or http://localhost:11434/v1)");
        }
        try {
            URI uri = new URI(trimmed);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw ProviderErrors.invalidArgument("provider.base_url must be an http(s) URL, not '" + baseUrl + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ProviderErrors.invalidArgument("provider.base_url is not a URL: '" + baseUrl + "'");
        }
    }

    private static String providerName(GenerateRequest request) {
        String name = request.getProvider().getName();
        return name.isBlank() ? NAME : name;
    }
}
