package dev.hearth.llm.provider.anthropic;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hearth.llm.config.AnthropicConfig;
import dev.hearth.llm.config.LlmAdapterConfig;
import dev.hearth.llm.provider.ApiKeyResolver;
import dev.hearth.llm.provider.ProviderDialect;
import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.provider.TotalTimeout;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.Role;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, {@code stream: true}), and servers that
 * speak it. {@code continue_final_message} is native here: the final assistant message is a
 * prefill, which the model continues.
 *
 * <p>Provider options: {@code max_tokens}, {@code top_k} ({@link MessagesRequestBody}) and
 * {@code anthropic_beta}, sent as the {@code anthropic-beta} header (comma-separated features).
 */
@ApplicationScoped
public class AnthropicDialect implements ProviderDialect {

    public static final String NAME = "anthropic";
    static final String ANTHROPIC_BETA = "anthropic_beta";

    private final AnthropicMessagesClients clients;
    private final ApiKeyResolver keys;
    private final ObjectMapper json;
    private final LlmAdapterConfig.Upstream upstream;
    private final AnthropicConfig anthropic;

    public AnthropicDialect(AnthropicMessagesClients clients, ApiKeyResolver keys, ObjectMapper json,
            LlmAdapterConfig config, AnthropicConfig anthropic) {
        this.clients = clients;
        this.keys = keys;
        this.json = json;
        this.upstream = config.upstream();
        this.anthropic = anthropic;
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
            String apiKey = apiKey(provider, providerName);
            Prefill prefill = prefill(request);
            ObjectNode body = MessagesRequestBody.from(request, prefill, anthropic.defaultMaxTokens(), json);
            String beta = provider.getOptionsOrDefault(ANTHROPIC_BETA, "").strip();
            MessagesStreamDecoder decoder = new MessagesStreamDecoder(json, providerName, request.getModel(),
                    new ContinuationTrimmer(prefill == null ? "" : prefill.cutWhitespace()));

            return clients.forBaseUri(baseUri)
                    .streamMessage(apiKey, anthropic.apiVersion(), beta.isEmpty() ? null : beta, body)
                    // ping events (and empty keep-alives) are items: they count as activity here.
                    .ifNoItem().after(upstream.idleTimeout()).failWith(() -> silent(providerName))
                    .onItem().transform(decoder::parse)
                    // message_stop ends the answer: stop there rather than wait for the response to end.
                    .select().first(event -> !decoder.isMessageStop(event))
                    .onItem().transformToIterable(decoder::decode)
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

    /** The partial answer to continue, or null when the request starts a new one. */
    private static Prefill prefill(GenerateRequest request) {
        if (!request.getContinueFinalMessage()) {
            return null;
        }
        ChatMessage last = request.getMessages(request.getMessagesCount() - 1);
        if (last.getRole() != Role.ROLE_ASSISTANT || last.getToolCallsCount() > 0) {
            throw ProviderErrors.invalidArgument("continue_final_message needs the last message to be an assistant "
                    + "answer without tool calls");
        }
        return Prefill.of(last.getContent());
    }

    private StatusRuntimeException silent(String providerName) {
        return Status.DEADLINE_EXCEEDED.withDescription("provider '" + providerName + "' sent nothing for "
                + upstream.idleTimeout() + " (the idle timeout, hearth.llm.upstream.idle-timeout)").asRuntimeException();
    }

    private String apiKey(ProviderRef provider, String providerName) {
        String envName = provider.getApiKeyEnv().strip();
        if (envName.isEmpty()) {
            return null; // a local or gateway server speaking the Messages API that wants no key
        }
        return keys.resolve(envName).orElseThrow(() -> Status.UNAUTHENTICATED
                .withDescription("provider '" + providerName + "' takes its API key from " + envName
                        + ", which is not set in llm-adapter-service's environment")
                .asRuntimeException());
    }

    /** The API root without {@code /v1}: base URLs are written both ways, the client adds {@code /v1/messages}. */
    private URI baseUri(String baseUrl) {
        String trimmed = baseUrl.strip();
        if (trimmed.isEmpty()) {
            trimmed = anthropic.defaultBaseUrl().strip();
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.endsWith("/v1")) {
            trimmed = trimmed.substring(0, trimmed.length() - "/v1".length());
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
