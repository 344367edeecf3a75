package dev.hearth.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.hearth.gateway.FakeAuth;
import dev.hearth.gateway.FakeRouter;
import dev.hearth.gateway.security.SecurityTestProfile;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.Role;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible API as a real third party uses it: the official OpenAI Java SDK (and
 * rest-assured for the raw wire), against the fake router and AuthService and a real Redis.
 */
@QuarkusTest
@TestProfile(SecurityTestProfile.class)
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class OpenAiApiTest {

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @ConfigProperty(name = "hearth.redis.prefix")
    String prefix;

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void startFakes() {
        FakeRouter.ensureStarted(routerPort);
        FakeAuth.DOWN.set(false);
    }

    private OpenAIClient client(String apiKey) {
        return OpenAIOkHttpClient.builder()
                .apiKey(apiKey)
                .baseUrl("http://localhost:" + base.getPort() + "/v1")
                .maxRetries(0) // a retry would hide what the first answer was
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    private static ChatCompletionCreateParams ask(String model, String text) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(text).build();
    }

    private static ChatRequest routerRequest(String id) {
        return FakeRouter.REQUESTS.stream().filter(r -> r.getRequestId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aCompletionIsTheRoutersAnswerToTheMessages() {
        FakeAuth.Key key = FakeAuth.newKey();
        ChatCompletion completion = client(key.secret()).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("default")
                .addSystemMessage("Be brief.")
                .addUserMessage("hi")
                .temperature(0.5)
                .maxCompletionTokens(50L)
                .stop("END")
                .build());

        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("default");
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.message().content()).contains(String.join("", FakeRouter.GREETING));
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(3);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(5);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(8);

        ChatRequest sent = routerRequest(completion.id());
        assertThat(sent.getUserId()).isEqualTo("u_" + key.id());
        assertThat(sent.getProfile()).as("default: the user's default profile").isEmpty();
        assertThat(sent.getMessagesList()).extracting(m -> m.getRole(), m -> m.getContent())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Role.ROLE_SYSTEM, "Be brief."),
                        org.assertj.core.groups.Tuple.tuple(Role.ROLE_USER, "hi"));
        assertThat(sent.getParams().getTemperature()).isEqualTo(0.5);
        assertThat(sent.getParams().getMaxTokens()).isEqualTo(50);
        assertThat(sent.getParams().getStopList()).containsExactly("END");
        assertThat(sent.getParams().hasTopP()).isFalse();
    }

    @Test
    void aStreamedCompletionDeliversTheRoutersTextAsDeltasThenUsage() {
        FakeAuth.Key key = FakeAuth.newKey();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client(key.secret()).chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("demo").addUserMessage("hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            chunks = stream.stream().toList();
        }
        assertThat(chunks.get(0).choices().get(0).delta().role()).contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse("")).reduce("", String::concat);
        assertThat(text).isEqualTo(String.join("", FakeRouter.GREETING));
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).filter(c -> c.finishReason().isPresent()))
                .singleElement().satisfies(c -> assertThat(c.finishReason().orElseThrow())
                        .isEqualTo(ChatCompletionChunk.Choice.FinishReason.STOP));
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(8);
        assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo(chunks.get(0).id()));
        assertThat(routerRequest(chunks.get(0).id()).getProfile()).isEqualTo("demo");
    }

    @Test
    void theModelsAreTheProfiles() {
        List<Model> models = client(FakeAuth.newKey().secret()).models().list().data();
        assertThat(models).extracting(Model::id).containsExactly("default", "demo");
        assertThat(models).allSatisfy(m -> assertThat(m.ownedBy()).isEqualTo("hearth"));
    }

    @Test
    void aWrongKeyIsUnauthorized() {
        assertThatThrownBy(() -> client("hk_wrong").chat().completions().create(ask("default", "hi")))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.code()).contains("invalid_api_key"));
        assertThatThrownBy(() -> client("hk_wrong").models().list()).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void anUnknownModelIsNotFound() {
        assertThatThrownBy(() -> client(FakeAuth.newKey().secret()).chat().completions().create(ask("gpt-imaginary", "hi")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.param()).contains("model");
                });
    }

    @Test
    void aKeyOverItsMessageRateIsRateLimitedWithRetryAfter() {
        FakeAuth.Key key = FakeAuth.newKey(Set.of("chat"), 1, 0, 0, 0);
        OpenAIClient client = client(key.secret());
        client.chat().completions().create(ask("default", "hi"));
        assertThatThrownBy(() -> client.chat().completions().create(ask("default", "hi again")))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.code()).contains("rate_limit_exceeded");
                    assertThat(Long.parseLong(e.headers().values("retry-after-ms").get(0))).isPositive();
                    assertThat(Long.parseLong(e.headers().values("Retry-After").get(0))).isPositive();
                });
    }

    @Test
    void toolsTheAssistantRanStayOnTheServerAndOnlyTheAnswerComes() {
        ChatCompletion completion = client(FakeAuth.newKey().secret()).chat().completions().create(ask("default", "tool-call"));
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(choice.message().content()).contains("Sunny in Oslo.");
        assertThat(choice.message().toolCalls().orElse(List.of())).as("not calls for this client to make").isEmpty();

        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client(FakeAuth.newKey().secret()).chat().completions()
                .createStreaming(ask("default", "tool-call"))) {
            chunks = stream.stream().toList();
        }
        assertThat(chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(c -> c.delta().toolCalls().orElse(List.of()).stream())).isEmpty();
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).flatMap(c -> c.delta().content().stream())
                .collect(java.util.stream.Collectors.joining())).isEqualTo("Sunny in Oslo.");
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).flatMap(c -> c.finishReason().stream()))
                .containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
    }

    @Test
    void anAnswerStoppedAtItsToolRoundLimitIsAnErrorNotAQuietEnd() {
        given().header("Authorization", FakeAuth.newKey().bearer()).contentType("application/json")
                .body("{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"tool-limit\"}]}")
                .post("/v1/chat/completions").then().statusCode(502)
                .body("error.code", equalTo("incomplete"));
    }

    @Test
    void aClientThatLeavesAStreamCancelsTheRouterCallAndFreesItsStreamSlot() {
        FakeAuth.Key key = FakeAuth.newKey(Set.of("chat"), 0, 1, 0, 0);
        OpenAIClient client = client(key.secret());
        int cancelledBefore = FakeRouter.CANCELLED.get();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("default", "slow"))) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            List<String> seen = new ArrayList<>();
            while (seen.size() < 3) {
                chunks.next().choices().forEach(c -> c.delta().content().ifPresent(seen::add));
            }
            // the key's one stream is taken meanwhile
            assertThatThrownBy(() -> client.chat().completions().create(ask("default", "hi")))
                    .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.code()).contains("too_many_streams"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeRouter.CANCELLED.get() > cancelledBefore);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                redis.sortedSet(String.class).zcard(prefix + "limits:streams:" + key.id()) == 0);
        assertThat(client.chat().completions().create(ask("default", "hi")).choices()).hasSize(1);
    }

    // ---- the raw wire

    @Test
    void errorsHaveOpenAisShape() {
        given().contentType("application/json").body("{\"model\":\"default\",\"messages\":[]}")
                .post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.param", nullValue())
                .body("error.message", containsString("API key"));
        given().post("/v1/ws-tickets").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));

        String key = FakeAuth.newKey().bearer();
        given().header("Authorization", key).contentType("application/json").body("{\"model\":\"default\",\"messages\":[]}")
                .post("/v1/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("messages")).body("error.type", equalTo("invalid_request_error"));
        given().header("Authorization", key).contentType("application/json").body("{not json")
                .post("/v1/chat/completions").then().statusCode(400).body("error.message", containsString("JSON"));
        given().header("Authorization", key).contentType("application/json")
                .body("{\"model\":\"default\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("temperature"));

        FakeAuth.Key noChat = FakeAuth.newKey(Set.of("devices"), 0, 0, 0, 0);
        given().header("Authorization", noChat.bearer()).get("/v1/models").then().statusCode(403)
                .body("error.code", equalTo("forbidden"));
    }

    @Test
    void aProviderErrorBeforeAnyOutputHasItsHttpStatus() {
        String key = FakeAuth.newKey().bearer();
        given().header("Authorization", key).contentType("application/json").body(chat("provider-down", false))
                .post("/v1/chat/completions")
                .then().statusCode(503).header("Retry-After", "2").header("retry-after-ms", "1500")
                .body("error.code", equalTo("provider_unavailable"));
        given().header("Authorization", key).contentType("application/json").body(chat("fail", false))
                .post("/v1/chat/completions").then().statusCode(503).body("error.code", equalTo("service_unavailable"));
        given().header("Authorization", key).contentType("application/json").body(chat("no-terminal", false))
                .post("/v1/chat/completions").then().statusCode(502).body("error.code", equalTo("incomplete"));
    }

    @Test
    void anErrorOnceStreamingHasBegunIsAnErrorEvent() {
        String key = FakeAuth.newKey().bearer();
        String body = given().header("Authorization", key).contentType("application/json").body(chat("provider-down", true))
                .post("/v1/chat/completions")
                .then().statusCode(200).contentType(startsWith("text/event-stream")).extract().asString();
        List<String> events = sseData(body);
        assertThat(new JsonObject(events.get(0)).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("role")).isEqualTo("assistant");
        JsonObject error = new JsonObject(events.get(events.size() - 1)).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("provider_unavailable");
        assertThat(events).doesNotContain("[DONE]");

        // Cut upstream without a terminal event: said so, never a quiet "stop".
        List<String> cut = sseData(given().header("Authorization", key).contentType("application/json")
                .body(chat("no-terminal", true)).post("/v1/chat/completions").then().statusCode(200).extract().asString());
        assertThat(cut).anySatisfy(e -> assertThat(e).contains("\"content\":\"partial\""));
        assertThat(new JsonObject(cut.get(cut.size() - 1)).getJsonObject("error").getString("code")).isEqualTo("incomplete");
        assertThat(String.join("\n", cut)).doesNotContain("\"finish_reason\":\"stop\"");
    }

    @Test
    void aConversationWithToolResultsReachesTheRouterAsMessages() {
        String key = FakeAuth.newKey().bearer();
        String body = """
                {"model":"default","user":"ignored","logit_bias":{},"messages":[
                  {"role":"developer","content":[{"type":"text","text":"Be "},{"type":"text","text":"brief."}]},
                  {"role":"user","content":"weather?"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call-9","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
                  {"role":"tool","tool_call_id":"call-9","content":"sunny"},
                  {"role":"user","content":"hi"}]}""";
        String id = given().header("Authorization", key).contentType("application/json").body(body)
                .post("/v1/chat/completions").then().statusCode(200)
                .body("object", equalTo("chat.completion")).extract().path("id");
        ChatRequest sent = routerRequest(id);
        assertThat(sent.getMessagesList()).extracting(m -> m.getRole())
                .containsExactly(Role.ROLE_SYSTEM, Role.ROLE_USER, Role.ROLE_ASSISTANT, Role.ROLE_TOOL, Role.ROLE_USER);
        assertThat(sent.getMessages(0).getContent()).isEqualTo("Be brief.");
        assertThat(sent.getMessages(2).getToolCalls(0).getName()).isEqualTo("get_weather");
        assertThat(sent.getMessages(2).getToolCalls(0).getId()).isEqualTo("call-9");
        assertThat(sent.getMessages(3).getToolCallId()).isEqualTo("call-9");
        assertThat(sent.hasParams()).isFalse();
    }

    @Test
    void aProfileChangeEventRefreshesTheModelsAtOnce() {
        String key = FakeAuth.newKey().bearer();
        publishProfileChange();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().header("Authorization", key).get("/v1/models")
                .then().statusCode(200).body("data.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("brand-new"))));
        FakeAuth.PROFILES.add("brand-new");
        try {
            // cached: not there yet (the cache lives 10 s)
            given().header("Authorization", key).get("/v1/models").then().statusCode(200)
                    .body("data.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("brand-new")));
            publishProfileChange();
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> given().header("Authorization", key).get("/v1/models")
                    .then().statusCode(200).body("data.id", org.hamcrest.Matchers.hasItem("brand-new")));
        } finally {
            FakeAuth.PROFILES.remove("brand-new");
            publishProfileChange();
        }
    }

    private void publishProfileChange() {
        redis.pubsub(String.class).publish(prefix + "config-changes",
                new JsonObject().put("version", 9).put("kind", "profile").put("id", "brand-new").encode());
    }

    private static String chat(String text, boolean stream) {
        return new JsonObject().put("model", "default").put("stream", stream)
                .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", text)))
                .encode();
    }

    /** The data of each SSE event. */
    private static List<String> sseData(String body) {
        List<String> data = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            if (event.startsWith("data: ")) {
                data.add(event.substring("data: ".length()));
            }
        }
        return data;
    }
}
