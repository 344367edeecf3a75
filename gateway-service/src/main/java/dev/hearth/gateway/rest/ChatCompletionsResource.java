package dev.hearth.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.gateway.client.RouterClient;
import dev.hearth.gateway.security.Principal;
import dev.hearth.gateway.security.RateLimiter;
import dev.hearth.proto.v1.ChatRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible: the request's messages are one stateless
 * turn of the profile named by {@code model}. {@code stream: false} answers a {@code chat.completion};
 * {@code stream: true} answers SSE {@code chat.completion.chunk} events and {@code data: [DONE]}.
 *
 * <p>One method serves both, so the status, headers and body are decided at run time
 * ({@link RestMulti#fromUniResponse}): checks (model, rate limit, stream slot) and, without
 * streaming, the whole answer come first, so their errors get their own HTTP status; once a stream
 * has begun, errors arrive as an SSE {@code data: {"error":…}} event. A client that goes away
 * cancels the router call.
 */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {

    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));
    private static final Map<String, List<String>> SSE = Map.of(
            "Content-Type", List.of("text/event-stream"),
            "Cache-Control", List.of("no-cache"),
            "X-Accel-Buffering", List.of("no"));

    private final RouterClient router;
    private final RateLimiter limiter;
    private final ProfileCatalog profiles;
    private final ObjectMapper json;

    public ChatCompletionsResource(RouterClient router, RateLimiter limiter, ProfileCatalog profiles, ObjectMapper json) {
        this.router = router;
        this.limiter = limiter;
        this.profiles = profiles;
        this.json = json;
    }

    /**
     * What the response will be: status, headers, body. The body is bytes so that no media type is
     * inferred at build time: it is the one in {@code headers}, JSON or SSE.
     */
    private record Outcome(int status, Map<String, List<String>> headers, Multi<Buffer> body) {

        static Outcome of(int status, Map<String, List<String>> headers, Multi<String> body) {
            return new Outcome(status, headers, body.map(Buffer::buffer));
        }
    }

    @POST
    public RestMulti<Buffer> create(String body, RoutingContext routing) {
        Principal principal = RequestPrincipal.of(routing);
        Uni<Outcome> outcome = Uni.createFrom().deferred(() -> {
            CompletionRequest request = CompletionRequest.parse(read(body));
            Completion completion = new Completion(json, "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""),
                    request.requestedModel(), request.includeUsage());
            ChatRequest chat = chatRequest(request, principal, completion.id());
            return admit(request, principal, completion.id())
                    .chain(() -> request.stream() ? stream(chat, completion, principal) : complete(chat, completion, principal));
        }).onFailure().recoverWithItem(this::error);
        return RestMulti.fromUniResponse(outcome, Outcome::body, Outcome::headers, Outcome::status);
    }

    /** The model exists, the key is under its message rate, and it has a stream slot (taken here). */
    private Uni<Void> admit(CompletionRequest request, Principal principal, String streamId) {
        Uni<Void> model = request.model().isEmpty() ? Uni.createFrom().voidItem()
                : profiles.exists(request.model()).invoke(exists -> {
                    if (!exists) {
                        throw OpenAiError.modelNotFound(request.model());
                    }
                }).replaceWithVoid();
        return model
                .chain(() -> limiter.checkMessage(principal))
                .chain(() -> limiter.acquireStream(principal, streamId));
    }

    private Uni<Outcome> complete(ChatRequest chat, Completion completion, Principal principal) {
        return router.chat(chat)
                .collect().in(() -> completion, Completion::add)
                .map(done -> Outcome.of(200, JSON, Multi.createFrom().item(done.result())))
                // also when the client goes away meanwhile (cancellation)
                .eventually(() -> limiter.releaseStream(principal, completion.id()));
    }

    private Uni<Outcome> stream(ChatRequest chat, Completion completion, Principal principal) {
        Multi<String> events = Multi.createBy().concatenating().streams(
                        Multi.createFrom().item(completion::start),
                        router.chat(chat)
                                .onItem().transformToIterable(completion::next)
                                .onFailure().recoverWithMulti(failure -> Multi.createFrom().iterable(completion.failed(failure)))
                                .onCompletion().switchTo(() -> Multi.createFrom().iterable(completion.end())))
                // ended, failed or cancelled (the client went away): the slot taken in admit() goes back
                .onTermination().invoke(() -> limiter.releaseStream(principal, completion.id()));
        return Uni.createFrom().item(Outcome.of(200, SSE, events));
    }

    private ChatRequest chatRequest(CompletionRequest request, Principal principal, String id) {
        ChatRequest.Builder chat = ChatRequest.newBuilder()
                .setRequestId(id)
                .setUserId(principal.userId())
                .setProfile(request.model())
                .setStreamId(id)
                .addAllMessages(request.messages())
                .putMetadata("api", "openai")
                .putMetadata("key_id", principal.keyId());
        if (request.params() != null) {
            chat.setParams(request.params());
        }
        return chat.build();
    }

    private JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            throw OpenAiError.invalidRequest(null, "the body must be a JSON object");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw OpenAiError.invalidRequest(null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private Outcome error(Throwable failure) {
        OpenAiError error = OpenAiErrors.of(failure);
        Map<String, List<String>> headers = error.retryAfterMs() <= 0 ? JSON : Map.of(
                "Content-Type", List.of("application/json"),
                "Retry-After", List.of(String.valueOf((error.retryAfterMs() + 999) / 1000)),
                "retry-after-ms", List.of(String.valueOf(error.retryAfterMs())));
        return Outcome.of(error.status(), headers, Multi.createFrom().item(error.body(json).toString()));
    }
}
