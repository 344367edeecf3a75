package dev.hearth.config.mcp;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.assertProblem;
import static dev.hearth.config.mcp.McpTestClient.call;
import static dev.hearth.config.mcp.McpTestClient.connect;
import static dev.hearth.config.mcp.McpTestClient.errorCode;
import static dev.hearth.config.mcp.McpTestClient.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.config.AdminApiClient;
import dev.hearth.config.repository.HistoryRepository;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.SetStateRequest;
import dev.hearth.proto.v1.StoredMessage;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hearth's MCP server at /mcp, driven by the official MCP Java SDK over Streamable HTTP against the
 * real application (PostgreSQL, Redis) and a fake zigbee-service speaking the real gRPC contract.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeZigbee.class, restrictToAnnotatedClass = true)
@TestProfile(McpServerTest.WithAdminKey.class)
class McpServerTest {

    @io.quarkus.grpc.GrpcClient("self")
    dev.hearth.proto.v1.MutinyToolServiceGrpc.MutinyToolServiceStub catalog;

    public static class WithAdminKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return AdminApiClient.withConfiguredAdminKey();
        }
    }

    static final String INITIALIZE = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
            .put("params", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
                    .put("clientInfo", new JsonObject().put("name", "raw-http").put("version", "1")))
            .encode();

    @TestHTTPResource
    URL base;

    @Inject
    HistoryRepository history;

    private String aliceKey;
    private McpSyncClient alice;

    @BeforeEach
    void connectAlice() {
        FakeZigbee.ensureStarted();
        FakeZigbee.TOOL_CALLS.clear();
        FakeZigbee.SET_REQUESTS.clear();
        aliceKey = AdminApiClient.create("mcp-alice", "alice", "chat").getString("key");
        alice = connect(base, aliceKey);
        alice.initialize();
    }

    @AfterEach
    void disconnect() {
        alice.closeGracefully();
    }

    @Test
    void initializeNegotiatesTheProtocolAndListsHearthTools() {
        InitializeResult init = alice.getCurrentInitializationResult();
        assertThat(init.protocolVersion()).isEqualTo("2025-11-25");
        assertThat(init.serverInfo().name()).isEqualTo("hearth");
        assertThat(init.capabilities().tools()).isNotNull();
        assertThat(init.capabilities().resources()).isNotNull();

        List<Tool> tools = alice.listTools().tools();
        // Besides the devices' own tools (zigbee__*, tested below).
        assertThat(tools).extracting(Tool::name).filteredOn(name -> !name.startsWith("zigbee__"))
                .containsExactlyInAnyOrder("current_time", "date_difference", "conversation_search", "list_profiles", "get_profile", "device_state", "device_control");
        // The built-in tools keep the schema the gRPC catalog gives them: one registry, two doors.
        Tool dateDifference = tools.stream().filter(t -> t.name().equals("date_difference")).findFirst().orElseThrow();
        assertThat(dateDifference.inputSchema()).containsEntry("required", List.of("to"))
                .containsEntry("additionalProperties", false);
        assertThat(new JsonObject(dateDifference.inputSchema()).getJsonObject("properties").fieldNames()).containsExactlyInAnyOrder("to", "from", "timezone");
        Tool control = tools.stream().filter(t -> t.name().equals("device_control")).findFirst().orElseThrow();
        assertThat(new JsonObject(control.inputSchema()).getJsonArray("required").getList()).containsExactlyInAnyOrder("device", "state");
    }

    @Test
    void builtInToolsAnswerAndBadArgumentsAreToolErrorsThatLeaveTheSessionUsable() {
        CallToolResult now = call(alice, "current_time", Map.of("timezone", "Asia/Tokyo"));
        assertThat(now.isError()).isFalse();
        assertThat(json(now).getString("timezone")).isEqualTo("Asia/Tokyo");
        assertThat(json(now).getString("utc_offset")).isEqualTo("+09:00");

        CallToolResult days = call(alice, "date_difference", Map.of("from", "2026-12-01", "to", "2026-12-24"));
        assertThat(json(days).getLong("days")).isEqualTo(23);
        assertThat(json(days).getString("weekday_of_to")).isEqualTo("Thursday");

        CallToolResult badDate = call(alice, "date_difference", Map.of("to", "next friday"));
        assertThat(badDate.isError()).isTrue();
        assertThat(errorCode(badDate)).isEqualTo("invalid_arguments");
        assertThat(json(badDate).getJsonObject("error").getString("message")).contains("YYYY-MM-DD");

        CallToolResult badZone = call(alice, "current_time", Map.of("timezone", "Mars/Olympus"));
        assertThat(badZone.isError()).isTrue();
        assertThat(errorCode(badZone)).isEqualTo("invalid_arguments");

        // A declared argument of the wrong type or a missing one: a tool error, not a protocol failure.
        CallToolResult missingQuery = call(alice, "conversation_search", Map.of());
        assertThat(missingQuery.isError()).isTrue();
        CallToolResult wrongType = call(alice, "conversation_search", Map.of("query", "x", "limit", "many"));
        assertThat(wrongType.isError()).isTrue();

        assertThat(call(alice, "current_time", Map.of()).isError()).isFalse();
    }

    @Test
    void anUnknownToolIsAProtocolErrorAndTheSessionSurvives() {
        assertThatThrownBy(() -> call(alice, "launch_rockets", Map.of()))
                .isInstanceOf(McpError.class)
                .satisfies(e -> assertThat(((McpError) e).getJsonRpcError().code()).isEqualTo(-32602))
                .hasMessageContaining("launch_rockets");
        assertThat(call(alice, "current_time", Map.of()).isError()).isFalse();
    }

    @Test
    void conversationSearchFindsOnlyTheCallersOwnMessages() {
        String aliceConversation = "c-" + UUID.randomUUID();
        String bobConversation = "c-" + UUID.randomUUID();
        String word = "zebra" + UUID.randomUUID().toString().substring(0, 8);
        append(aliceConversation, "alice", message(Role.ROLE_USER, "Remind me: the " + word.toUpperCase() + " crossing is at noon"),
                message(Role.ROLE_ASSISTANT, "Noted, the " + word + " crossing at 12:00."),
                message(Role.ROLE_USER, "Unrelated: 100% sure_thing"));
        append(bobConversation, "bob", message(Role.ROLE_USER, "Bob's secret " + word + " plan"));

        CallToolResult found = call(alice, "conversation_search", Map.of("query", word));
        assertThat(found.isError()).as(json(found).encode()).isFalse();
        JsonObject result = json(found);
        assertThat(result.getInteger("count")).isEqualTo(2);
        JsonArray messages = result.getJsonArray("messages");
        // Newest first, case-insensitive, never another user's conversation.
        assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("assistant");
        assertThat(messages.getJsonObject(1).getString("snippet")).contains(word.toUpperCase());
        assertThat(messages.stream().map(m -> ((JsonObject) m).getString("conversation_id")).distinct())
                .containsExactly(aliceConversation);
        assertThat(result.encode()).doesNotContain("Bob's secret");

        CallToolResult limited = call(alice, "conversation_search", Map.of("query", word, "limit", 1));
        assertThat(json(limited).getJsonArray("messages")).hasSize(1);

        // LIKE wildcards in the query are literal text.
        assertThat(json(call(alice, "conversation_search", Map.of("query", "100%"))).getInteger("count")).isEqualTo(1);
        // "sur__thing" would match "sure_thing" if _ were LIKE's one-character wildcard.
        assertThat(json(call(alice, "conversation_search", Map.of("query", "sur__thing"))).getInteger("count")).isZero();
        assertThat(json(call(alice, "conversation_search", Map.of("query", "sure_thing"))).getInteger("count")).isEqualTo(1);

        CallToolResult badLimit = call(alice, "conversation_search", Map.of("query", word, "limit", 500));
        assertThat(badLimit.isError()).isTrue();
        assertThat(errorCode(badLimit)).isEqualTo("invalid_arguments");
        CallToolResult blank = call(alice, "conversation_search", Map.of("query", "   "));
        assertThat(errorCode(blank)).isEqualTo("invalid_arguments");

        // Bob, with his own key, finds his message and not Alice's.
        String bobKey = AdminApiClient.create("mcp-bob", "bob", "chat").getString("key");
        McpSyncClient bob = connect(base, bobKey);
        try {
            bob.initialize();
            JsonObject bobs = json(call(bob, "conversation_search", Map.of("query", word)));
            assertThat(bobs.getInteger("count")).isEqualTo(1);
            assertThat(bobs.getJsonArray("messages").getJsonObject(0).getString("conversation_id")).isEqualTo(bobConversation);
        } finally {
            bob.closeGracefully();
        }
    }

    @Test
    void profileToolsAndResourcesShowChainsAndToolsButNoSecrets() {
        admin().body(new JsonObject().put("name", "mcp-cloud").put("dialect", "openai")
                .put("base_url", "http://10.9.8.7:1/v1").put("api_key_env", "MCP_CLOUD_SECRET_ENV").encode())
                .post("/admin/v1/providers").then().statusCode(201);
        admin().body(new JsonObject().put("name", "kitchen").put("description", "Kitchen tablet")
                .put("system_prompt", "Operator-only prompt text")
                .put("params", new JsonObject().put("temperature", 0.3))
                .put("targets", new JsonArray().add(new JsonObject().put("provider", "mcp-cloud").put("model", "gpt-4o-mini"))
                        .add(new JsonObject().put("provider", "demo").put("model", "demo-1")))
                .put("allowed_tools", new JsonArray().add("device_*").add("current_time")).encode())
                .post("/admin/v1/profiles").then().statusCode(201);

        JsonObject kitchen = json(call(alice, "get_profile", Map.of("name", "kitchen")));
        assertThat(kitchen.getString("description")).isEqualTo("Kitchen tablet");
        assertThat(kitchen.getBoolean("is_default")).isFalse();
        assertThat(kitchen.getJsonArray("chain")).isEqualTo(new JsonArray()
                .add(new JsonObject().put("provider", "mcp-cloud").put("model", "gpt-4o-mini"))
                .add(new JsonObject().put("provider", "demo").put("model", "demo-1")));
        assertThat(kitchen.getJsonArray("allowed_tools")).isEqualTo(new JsonArray().add("device_*").add("current_time"));
        assertThat(kitchen.getJsonObject("params").getDouble("temperature")).isEqualTo(0.3);
        assertThat(kitchen.encode()).doesNotContain("MCP_CLOUD_SECRET_ENV", "10.9.8.7", "Operator-only");

        JsonObject listed = json(call(alice, "list_profiles", Map.of()));
        assertThat(listed.getJsonArray("profiles").stream().map(p -> ((JsonObject) p).getString("name"))).contains("kitchen");
        assertThat(listed.encode()).doesNotContain("MCP_CLOUD_SECRET_ENV", "10.9.8.7", "Operator-only");

        CallToolResult unknown = call(alice, "get_profile", Map.of("name", "no-such-profile"));
        assertThat(unknown.isError()).isTrue();
        assertThat(errorCode(unknown)).isEqualTo("not_found");

        assertThat(alice.listResources().resources()).extracting(Resource::uri)
                .contains("hearth://profiles", "hearth://devices");
        assertThat(alice.listResourceTemplates().resourceTemplates()).extracting(ResourceTemplate::uriTemplate)
                .contains("hearth://profiles/{name}", "hearth://devices/{name}");
        TextResourceContents one = (TextResourceContents) alice.readResource(new ReadResourceRequest("hearth://profiles/kitchen"))
                .contents().get(0);
        assertThat(one.mimeType()).isEqualTo("application/json");
        assertThat(new JsonObject(one.text())).isEqualTo(kitchen);
        TextResourceContents all = (TextResourceContents) alice.readResource(new ReadResourceRequest("hearth://profiles"))
                .contents().get(0);
        assertThat(new JsonObject(all.text()).getJsonArray("profiles").stream()
                .map(p -> ((JsonObject) p).getString("name"))).contains("kitchen");
        assertThatThrownBy(() -> alice.readResource(new ReadResourceRequest("hearth://profiles/no-such-profile")))
                .isInstanceOf(McpError.class).hasMessageContaining("no-such-profile");
    }

    @Test
    void homeToolsReadAndSwitchDevicesThroughZigbeeService() {
        JsonObject all = json(call(alice, "device_state", Map.of()));
        assertThat(all.getInteger("count")).isEqualTo(2);
        assertThat(all.getJsonArray("devices").stream().map(d -> ((JsonObject) d).getString("name")))
                .containsExactlyInAnyOrder(FakeZigbee.LIGHT, FakeZigbee.LOCK);

        JsonObject light = json(call(alice, "device_state", Map.of("device", FakeZigbee.LIGHT)));
        assertThat(light.getJsonObject("state")).isEqualTo(new JsonObject().put("state", "OFF").put("brightness", 0));
        assertThat(light.getString("room")).isEqualTo("kitchen");
        assertThat(light.getJsonArray("exposes")).isNotEmpty();

        CallToolResult switched = call(alice, "device_control",
                Map.of("device", FakeZigbee.LIGHT, "state", Map.of("state", "ON", "brightness", 128)));
        assertThat(switched.isError()).as(json(switched).encode()).isFalse();
        assertThat(json(switched).getString("outcome")).isEqualTo("confirmed");
        assertThat(json(switched).getJsonObject("state")).isEqualTo(new JsonObject().put("state", "ON").put("brightness", 128));
        SetStateRequest sent = FakeZigbee.SET_REQUESTS.poll();
        assertThat(sent.getDevice()).isEqualTo(FakeZigbee.LIGHT);
        assertThat(new JsonObject(sent.getStateJson())).isEqualTo(new JsonObject().put("state", "ON").put("brightness", 128));
        assertThat(sent.getTimeoutMs()).isEqualTo(5000);
        assertThat(sent.getConfirmed()).isFalse();
        assertThat(json(call(alice, "device_state", Map.of("device", FakeZigbee.LIGHT))).getJsonObject("state")
                .getString("state")).isEqualTo("ON");

        CallToolResult unknown = call(alice, "device_state", Map.of("device", "garage_heater"));
        assertThat(unknown.isError()).isTrue();
        assertThat(errorCode(unknown)).isEqualTo("unknown_device");
        assertThat(errorCode(call(alice, "device_control", Map.of("device", "garage_heater", "state", Map.of("state", "ON")))))
                .isEqualTo("unknown_device");

        CallToolResult risky = call(alice, "device_control", Map.of("device", FakeZigbee.LOCK, "state", Map.of("state", "UNLOCK")));
        assertThat(risky.isError()).isTrue();
        assertThat(errorCode(risky)).isEqualTo("command_refused");
        assertThat(json(risky).getJsonObject("error").getString("message")).contains("confirmed");
        CallToolResult agreed = call(alice, "device_control",
                Map.of("device", FakeZigbee.LOCK, "state", Map.of("state", "UNLOCK"), "confirmed", true));
        assertThat(json(agreed).getString("outcome")).isEqualTo("confirmed");

        CallToolResult empty = call(alice, "device_control", Map.of("device", FakeZigbee.LIGHT, "state", Map.of()));
        assertThat(errorCode(empty)).isEqualTo("invalid_arguments");

        TextResourceContents device = (TextResourceContents) alice
                .readResource(new ReadResourceRequest("hearth://devices/" + FakeZigbee.LIGHT)).contents().get(0);
        assertThat(new JsonObject(device.text()).getString("ieee_address")).isEqualTo("0x00124b0001a2b3c4");
        TextResourceContents devices = (TextResourceContents) alice
                .readResource(new ReadResourceRequest("hearth://devices")).contents().get(0);
        assertThat(new JsonObject(devices.text()).getInteger("count")).isEqualTo(2);
        assertThatThrownBy(() -> alice.readResource(new ReadResourceRequest("hearth://devices/garage_heater")))
                .isInstanceOf(McpError.class).hasMessageContaining("garage_heater");
    }

    @Test
    void eachDeviceIsAToolInTheCatalogAndOverMcpAndItsCallsReachZigbeeService() {
        // The router's door: the gRPC catalog lists the device with zigbee-service's schema.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> catalog.listTools(
                dev.hearth.proto.v1.ListToolsRequest.getDefaultInstance()).await().atMost(Duration.ofSeconds(10))
                .getToolsList().stream().anyMatch(t -> t.getName().equals("zigbee__" + FakeZigbee.LIGHT)));
        dev.hearth.proto.v1.ToolSpec light = catalog.listTools(dev.hearth.proto.v1.ListToolsRequest.getDefaultInstance())
                .await().atMost(Duration.ofSeconds(10)).getToolsList().stream()
                .filter(t -> t.getName().equals("zigbee__" + FakeZigbee.LIGHT)).findFirst().orElseThrow();
        assertThat(new JsonObject(light.getInputSchemaJson())).isEqualTo(new JsonObject(FakeZigbee.LIGHT_SCHEMA));
        assertThat(light.getDescription()).contains("Kitchen light");

        FakeZigbee.TOOL_CALLS.clear();
        dev.hearth.proto.v1.CallToolResponse on = catalog.callTool(dev.hearth.proto.v1.CallToolRequest.newBuilder()
                .setName("zigbee__" + FakeZigbee.LIGHT).setArgumentsJson("{\"state\":\"ON\",\"brightness\":200}")
                .setCallId("c1").build()).await().atMost(Duration.ofSeconds(10));
        assertThat(on.getIsError()).as(on.getResultJson()).isFalse();
        assertThat(new JsonObject(on.getResultJson()).getString("outcome")).isEqualTo("confirmed");
        dev.hearth.proto.v1.CallToolRequest forwarded = FakeZigbee.TOOL_CALLS.poll();
        assertThat(forwarded.getName()).as("zigbee-service gets its own name back").isEqualTo(FakeZigbee.LIGHT);
        assertThat(new JsonObject(forwarded.getArgumentsJson())).isEqualTo(new JsonObject().put("state", "ON").put("brightness", 200));
        // zigbee-service's refusals pass through as is_error results.
        dev.hearth.proto.v1.CallToolResponse tooBright = catalog.callTool(dev.hearth.proto.v1.CallToolRequest.newBuilder()
                .setName("zigbee__" + FakeZigbee.LIGHT).setArgumentsJson("{\"brightness\":999}").build())
                .await().atMost(Duration.ofSeconds(10));
        assertThat(tooBright.getIsError()).isTrue();
        assertThat(new JsonObject(tooBright.getResultJson()).getJsonObject("error").getString("code")).isEqualTo("invalid_arguments");

        // Operators see the catalog on the admin API: all of it, or what one profile offers.
        io.restassured.path.json.JsonPath listedForAdmin = as(CONFIGURED_ADMIN_KEY).get("/admin/v1/tools")
                .then().statusCode(200).extract().jsonPath();
        assertThat(listedForAdmin.<String>getList("tools.name")).contains("zigbee__" + FakeZigbee.LIGHT, "current_time");
        assertThat(listedForAdmin.getString("tools.find { it.name == 'zigbee__kitchen_light' }.source")).isEqualTo("device");
        assertThat(listedForAdmin.getString("tools.find { it.name == 'current_time' }.source")).isEqualTo("built_in");
        assertThat(listedForAdmin.getInt("tools.find { it.name == 'zigbee__kitchen_light' }.input_schema.properties.brightness.maximum"))
                .isEqualTo(254);
        assertThat(as(CONFIGURED_ADMIN_KEY).get("/admin/v1/tools?profile=default").then().statusCode(200).extract()
                .jsonPath().<String>getList("tools.name")).containsExactlyInAnyOrder("current_time", "date_difference");
        assertProblem(as(CONFIGURED_ADMIN_KEY).get("/admin/v1/tools?profile=no-such-profile"), 404, "not_found");
        given().get("/admin/v1/tools").then().statusCode(401);

        // The MCP door: the same tool, the same call.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> alice.listTools().tools().stream()
                .anyMatch(t -> t.name().equals("zigbee__" + FakeZigbee.LIGHT)));
        Tool overMcp = alice.listTools().tools().stream().filter(t -> t.name().equals("zigbee__" + FakeZigbee.LIGHT))
                .findFirst().orElseThrow();
        assertThat(new JsonObject(overMcp.inputSchema()).getJsonObject("properties").fieldNames())
                .containsExactlyInAnyOrder("state", "brightness");
        CallToolResult off = call(alice, "zigbee__" + FakeZigbee.LIGHT, Map.of("state", "OFF"));
        assertThat(off.isError()).as(json(off).encode()).isFalse();
        assertThat(json(off).getJsonObject("state").getString("state")).isEqualTo("OFF");
    }

    @Test
    void withZigbeeServiceDownTheHomeToolsSaySoAndTheSessionCarriesOn() {
        assertThat(call(alice, "device_state", Map.of("device", FakeZigbee.LIGHT)).isError()).isFalse();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> alice.listTools().tools().stream()
                .anyMatch(t -> t.name().equals("zigbee__" + FakeZigbee.LIGHT)));
        FakeZigbee.shutDown();
        try {
            for (CallToolResult down : List.of(call(alice, "device_state", Map.of()),
                    call(alice, "device_state", Map.of("device", FakeZigbee.LIGHT)),
                    call(alice, "device_control", Map.of("device", FakeZigbee.LIGHT, "state", Map.of("state", "ON"))))) {
                assertThat(down.isError()).isTrue();
                assertThat(errorCode(down)).isEqualTo("zigbee_unavailable");
                assertThat(json(down).getJsonObject("error").getString("message")).contains("try again later");
            }
            CallToolResult deviceTool = call(alice, "zigbee__" + FakeZigbee.LIGHT, Map.of("state", "ON"));
            assertThat(deviceTool.isError()).isTrue();
            assertThat(errorCode(deviceTool)).isEqualTo("zigbee_unavailable");
            // Nothing was switched, and the session's other tools still answer.
            assertThat(FakeZigbee.SET_REQUESTS).isEmpty();
            assertThat(call(alice, "current_time", Map.of("timezone", "UTC")).isError()).isFalse();
            assertThat(alice.listTools().tools()).extracting(Tool::name).contains("device_state");
        } finally {
            FakeZigbee.ensureStarted();
        }
        // Back again: the same session reaches the devices once gRPC has reconnected (its backoff).
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> !call(alice, "device_state", Map.of("device", FakeZigbee.LIGHT)).isError());
    }

    @Test
    void withoutAValidKeyMcpAnswers401() {
        assertProblem(mcp().body(INITIALIZE).post("/mcp"), 401, "unauthorized");
        assertProblem(mcp().header("Authorization", "Basic YWxpY2U6c2VjcmV0").body(INITIALIZE).post("/mcp"), 401,
                "unauthorized");
        Response unknownKey = mcp().header("Authorization", "Bearer hk_not_a_key").body(INITIALIZE).post("/mcp");
        assertProblem(unknownKey, 401, "unauthorized");
        assertThat(unknownKey.header("WWW-Authenticate")).contains("Bearer", "invalid_token");
        // Every path under /mcp, every method.
        assertProblem(mcp().get("/mcp"), 401, "unauthorized");
        assertProblem(mcp().delete("/mcp"), 401, "unauthorized");

        McpSyncClient stranger = connect(base, "hk_not_a_key");
        try {
            assertThatThrownBy(stranger::initialize).isNotNull();
        } finally {
            stranger.close();
        }
    }

    @Test
    void aRevokedKeyStopsWorkingInAnOpenSession() {
        io.restassured.path.json.JsonPath created = AdminApiClient.create("mcp-short-lived", "carol", "chat");
        McpSyncClient carol = connect(base, created.getString("key"));
        try {
            carol.initialize();
            assertThat(call(carol, "current_time", Map.of()).isError()).isFalse();
            as(CONFIGURED_ADMIN_KEY).delete(AdminApiClient.PATH + "/" + created.getString("id")).then().statusCode(204);
            // The key is checked on every request, not once per session.
            assertThatThrownBy(() -> call(carol, "current_time", Map.of())).isNotNull();
        } finally {
            carol.close();
        }
    }

    @Test
    void aBrowserOriginMustBeAllowed() {
        Response evil = mcp().header("Authorization", "Bearer " + aliceKey).header("Origin", "http://evil.example")
                .body(INITIALIZE).post("/mcp");
        assertProblem(evil, 403, "origin_not_allowed");
        // Refused before the key is even looked at: no key and a bad origin is still 403.
        assertProblem(mcp().header("Origin", "https://attacker.example:8080").body(INITIALIZE).post("/mcp"), 403,
                "origin_not_allowed");
        assertProblem(mcp().header("Authorization", "Bearer " + aliceKey).header("Origin", "http://localhost.evil.example")
                .body(INITIALIZE).post("/mcp"), 403, "origin_not_allowed");

        Response local = mcp().header("Authorization", "Bearer " + aliceKey).header("Origin", "http://localhost:5173")
                .body(INITIALIZE).post("/mcp");
        assertThat(local.statusCode()).as(local.asString()).isEqualTo(200);
        assertThat(local.header("Mcp-Session-Id")).isNotBlank();
        assertThat(local.asString()).contains("2025-11-25");
        // Elsewhere the MCP guard does not apply: the admin API keeps its own rules.
        as(CONFIGURED_ADMIN_KEY).header("Origin", "http://evil.example").get(AdminApiClient.PATH).then().statusCode(200);
    }

    private static RequestSpecification mcp() {
        return given().contentType(ContentType.JSON).accept("application/json, text/event-stream");
    }

    private static RequestSpecification admin() {
        return as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON);
    }

    private void append(String conversation, String user, StoredMessage... messages) {
        history.append(conversation, user, "", List.of(messages)).await().atMost(Duration.ofSeconds(10));
    }

    private static StoredMessage message(Role role, String content) {
        return StoredMessage.newBuilder().setMessage(ChatMessage.newBuilder().setRole(role).setContent(content)).build();
    }
}
