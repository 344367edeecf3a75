package dev.hearth.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.v1.AppendMessagesRequest;
import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.ToolSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GetConfigVersionRequest;
import dev.hearth.proto.v1.GetHistoryRequest;
import dev.hearth.proto.v1.GetProfileRequest;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc;
import dev.hearth.proto.v1.MutinyHistoryServiceGrpc;
import dev.hearth.proto.v1.MutinyToolServiceGrpc;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(ConfigServiceTest.NoLlmOnThisHost.class)
class ConfigServiceTest {

    /** Whatever the developer's machine has, this test sees a host with no LLM configured. */
    public static class NoLlmOnThisHost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("OPENAI_API_KEY", "", "OPENROUTER_API_KEY", "", "ANTHROPIC_API_KEY", "", "GEMINI_API_KEY", "",
                    "hearth.seed.ollama-url", "http://127.0.0.1:1");
        }

    }

    // No host/port configured: in test mode the clients call this application's own test port.
    @GrpcClient("self")
    MutinyConfigServiceGrpc.MutinyConfigServiceStub config;

    @GrpcClient("self")
    MutinyHistoryServiceGrpc.MutinyHistoryServiceStub history;

    @GrpcClient("self")
    MutinyToolServiceGrpc.MutinyToolServiceStub tools;

    @Inject
    Pool pool;

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }

    private static Status.Code failureOf(Uni<?> uni) {
        Throwable failure = uni.onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(10));
        return Status.fromThrowable(failure).getCode();
    }

    @Test
    void firstStartSeedsADefaultProfileOnTheDemoProviderWhenNoLlmIsConfigured() {
        Profile profile = await(config.getProfile(GetProfileRequest.getDefaultInstance()));
        assertThat(profile.getName()).isEqualTo("default");
        assertThat(profile.getIsDefault()).isTrue();
        assertThat(profile.getTargetsList()).hasSize(1);
        assertThat(profile.getTargets(0).getProvider().getName()).isEqualTo("demo");
        assertThat(profile.getTargets(0).getProvider().getDialect()).isEqualTo("demo");
        assertThat(profile.getTargets(0).getModel()).isEqualTo("demo-1");
        assertThat(profile.getSystemPrompt()).isNotBlank();
        // Seeding was a config write, and so was storing the bootstrap admin key: version 2, and the
        // profile says it was read at it.
        assertThat(profile.getVersion()).isEqualTo(2);
        assertThat(await(config.getConfigVersion(GetConfigVersionRequest.getDefaultInstance())).getVersion()).isEqualTo(2);
        assertThat(await(config.getProfile(GetProfileRequest.newBuilder().setName("demo").build())).getIsDefault()).isFalse();
    }

    @Test
    void unknownProfileIsNotFound() {
        assertThat(failureOf(config.getProfile(GetProfileRequest.newBuilder().setName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void historyKeepsBothSidesInOrderWithTheirEnding() {
        String conversation = "c-" + UUID.randomUUID();
        await(history.appendMessages(AppendMessagesRequest.newBuilder()
                .setConversationId(conversation).setUserId("alice").setProfile("default")
                .addMessages(message(Role.ROLE_USER, "turn on the light", FinishReason.FINISH_REASON_UNSPECIFIED, false))
                .addMessages(message(Role.ROLE_ASSISTANT, "Done", FinishReason.FINISH_REASON_STOP, false))
                .build()));
        await(history.appendMessages(AppendMessagesRequest.newBuilder()
                .setConversationId(conversation).setUserId("alice")
                .addMessages(message(Role.ROLE_USER, "and the heating", FinishReason.FINISH_REASON_UNSPECIFIED, false))
                .addMessages(message(Role.ROLE_ASSISTANT, "Turning", FinishReason.FINISH_REASON_CANCELLED, true))
                .build()));

        var stored = await(history.getHistory(GetHistoryRequest.newBuilder().setConversationId(conversation).build()))
                .getMessagesList();
        assertThat(stored).extracting(m -> m.getMessage().getContent())
                .containsExactly("turn on the light", "Done", "and the heating", "Turning");
        assertThat(stored.get(3).getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CANCELLED);
        assertThat(stored.get(3).getTruncated()).isTrue();
        assertThat(stored.get(1).getTruncated()).isFalse();

        var lastTwo = await(history.getHistory(GetHistoryRequest.newBuilder().setConversationId(conversation).setLimit(2).build()))
                .getMessagesList();
        assertThat(lastTwo).extracting(m -> m.getMessage().getContent()).containsExactly("and the heating", "Turning");
    }

    @Test
    void anotherUsersConversationIsRefusedAndNothingIsWritten() {
        String conversation = "c-" + UUID.randomUUID();
        await(history.appendMessages(AppendMessagesRequest.newBuilder().setConversationId(conversation).setUserId("alice")
                .addMessages(message(Role.ROLE_USER, "mine", FinishReason.FINISH_REASON_UNSPECIFIED, false)).build()));
        assertThat(failureOf(history.appendMessages(AppendMessagesRequest.newBuilder().setConversationId(conversation)
                .setUserId("mallory").addMessages(message(Role.ROLE_USER, "not yours", FinishReason.FINISH_REASON_UNSPECIFIED, false))
                .build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(await(history.getHistory(GetHistoryRequest.newBuilder().setConversationId(conversation).build()))
                .getMessagesList()).extracting(m -> m.getMessage().getContent()).containsExactly("mine");
        // Reading is kept to the owner too, when the caller says whose turn it is.
        assertThat(failureOf(history.getHistory(GetHistoryRequest.newBuilder().setConversationId(conversation)
                .setUserId("mallory").build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(await(history.getHistory(GetHistoryRequest.newBuilder().setConversationId(conversation)
                .setUserId("alice").build())).getMessagesCount()).isEqualTo(1);
    }

    @Test
    void badHistoryRequestsAreInvalidArgumentsAndUnknownConversationsNotFound() {
        assertThat(failureOf(history.appendMessages(AppendMessagesRequest.newBuilder().setConversationId("x").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failureOf(history.appendMessages(AppendMessagesRequest.newBuilder().setConversationId("y")
                .setUserId("alice").addMessages(StoredMessage.newBuilder()
                        .setMessage(ChatMessage.newBuilder().setContent("no role"))).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failureOf(history.getHistory(GetHistoryRequest.newBuilder().setConversationId("c-x").setLimit(-1).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failureOf(history.getHistory(GetHistoryRequest.newBuilder().setConversationId("c-unknown").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void theSeededDefaultProfileAllowsTheBuiltInToolsAndTheDemoProfileNone() {
        assertThat(await(config.getProfile(GetProfileRequest.getDefaultInstance())).getAllowedToolsList())
                .containsExactly("current_time", "date_difference");

        var listed = await(tools.listTools(ListToolsRequest.newBuilder().setProfile("default").build()));
        assertThat(listed.getToolsList()).extracting(ToolSpec::getName).containsExactly("current_time", "date_difference");
        assertThat(listed.getToolsList()).allSatisfy(tool -> {
            assertThat(tool.getDescription()).isNotBlank();
            assertThat(new JsonObject(tool.getInputSchemaJson()).getString("type")).isEqualTo("object");
        });
        assertThat(listed.getVersion()).isPositive();
        // an empty allowed_tools allows nothing
        assertThat(await(tools.listTools(ListToolsRequest.newBuilder().setProfile("demo").build())).getToolsList()).isEmpty();
        // no profile: the whole catalog
        assertThat(await(tools.listTools(ListToolsRequest.getDefaultInstance())).getToolsList()).hasSize(2);
        assertThat(failureOf(tools.listTools(ListToolsRequest.newBuilder().setProfile("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void allowedToolsAreNamesOrGlobs() {
        profileAllowing("globbed", "current_*");
        profileAllowing("named", "date_difference", "zigbee__*");
        profileAllowing("everything", "*");

        assertThat(listed("globbed")).containsExactly("current_time");
        assertThat(listed("named")).containsExactly("date_difference");
        assertThat(listed("everything")).containsExactly("current_time", "date_difference");
    }

    @Test
    void currentTimeAnswersInTheAskedZoneAndRefusesAnUnknownOne() {
        var tokyo = await(tools.callTool(call("current_time", "{\"timezone\":\"Asia/Tokyo\"}")));
        assertThat(tokyo.getIsError()).isFalse();
        JsonObject result = new JsonObject(tokyo.getResultJson());
        assertThat(result.getString("timezone")).isEqualTo("Asia/Tokyo");
        assertThat(result.getString("utc_offset")).isEqualTo("+09:00");
        assertThat(result.getString("datetime")).endsWith("+09:00");
        assertThat(result.getString("weekday")).isNotBlank();
        // no arguments at all: the server's zone
        assertThat(await(tools.callTool(call("current_time", ""))).getIsError()).isFalse();

        var mars = await(tools.callTool(call("current_time", "{\"timezone\":\"Mars/Olympus_Mons\"}")));
        assertThat(mars.getIsError()).isTrue();
        assertThat(new JsonObject(mars.getResultJson()).getJsonObject("error").getString("code")).isEqualTo("invalid_arguments");
        assertThat(mars.getResultJson()).contains("Mars/Olympus_Mons");
        assertThat(await(tools.callTool(call("current_time", "[1]"))).getIsError()).isTrue();
        assertThat(await(tools.callTool(call("current_time", "{not json"))).getIsError()).isTrue();
    }

    @Test
    void dateDifferenceCountsCalendarDays() {
        var leap = await(tools.callTool(call("date_difference", "{\"from\":\"2024-02-27\",\"to\":\"2024-03-01\"}")));
        JsonObject result = new JsonObject(leap.getResultJson());
        assertThat(result.getLong("days")).isEqualTo(3);
        assertThat(result.getString("weekday_of_to")).isEqualTo("Friday");

        var back = new JsonObject(await(tools.callTool(call("date_difference",
                "{\"from\":\"2025-01-15\",\"to\":\"2025-01-01\"}"))).getResultJson());
        assertThat(back.getLong("days")).isEqualTo(-14);

        var missing = await(tools.callTool(call("date_difference", "{}")));
        assertThat(missing.getIsError()).isTrue();
        assertThat(missing.getResultJson()).contains("to");
    }

    @Test
    void anUnknownToolIsNotFound() {
        assertThat(failureOf(tools.callTool(call("launch_rockets", "{}")))).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void anEmptyAppendClaimsAConversationAndIsRefusedToAnotherUser() {
        // The router's ownership check before it reads history (GetHistory carries no user).
        String conversation = "c-" + UUID.randomUUID();
        await(history.appendMessages(AppendMessagesRequest.newBuilder().setConversationId(conversation).setUserId("alice")
                .build()));
        assertThat(await(history.getHistory(GetHistoryRequest.newBuilder().setConversationId(conversation).build()))
                .getMessagesList()).isEmpty();
        await(history.appendMessages(AppendMessagesRequest.newBuilder().setConversationId(conversation).setUserId("alice")
                .build()));
        assertThat(failureOf(history.appendMessages(AppendMessagesRequest.newBuilder().setConversationId(conversation)
                .setUserId("mallory").build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    private void profileAllowing(String name, String... allowed) {
        await(pool.preparedQuery("INSERT INTO profiles (name, allowed_tools) VALUES ($1, $2)")
                .execute(Tuple.of(name, new JsonArray(List.of(allowed)))));
    }

    private List<String> listed(String profile) {
        return await(tools.listTools(ListToolsRequest.newBuilder().setProfile(profile).build())).getToolsList().stream()
                .map(ToolSpec::getName).toList();
    }

    private static CallToolRequest call(String name, String arguments) {
        return CallToolRequest.newBuilder().setName(name).setArgumentsJson(arguments).setUserId("alice")
                .setCallId("call-" + UUID.randomUUID()).build();
    }

    @Test
    void readyWithPostgresAndRedisAndServesMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    private static StoredMessage message(Role role, String text, FinishReason reason, boolean truncated) {
        return StoredMessage.newBuilder().setMessage(ChatMessage.newBuilder().setRole(role).setContent(text))
                .setFinishReason(reason).setTruncated(truncated).build();
    }
}
