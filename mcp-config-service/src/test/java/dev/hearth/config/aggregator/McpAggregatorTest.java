package dev.hearth.config.aggregator;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hearth.config.AdminApiClient;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.CallToolResponse;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ListToolsResponse;
import dev.hearth.proto.v1.MutinyToolServiceGrpc;
import dev.hearth.proto.v1.ToolSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The aggregator end to end: MCP servers registered through the admin API (over real HTTP), test
 * upstreams speaking real MCP (a Streamable HTTP fake, and a stdio process built with the MCP Java
 * SDK), and the merged catalog as the router sees it over gRPC.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(McpAggregatorTest.QuickReconnects.class)
class McpAggregatorTest {

    static final String PATH = "/admin/v1/mcp-servers";
    static final Duration WAIT = Duration.ofSeconds(20);

    public static class QuickReconnects implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(AdminApiClient.withConfiguredAdminKey());
            config.put("hearth.aggregator.reconnect-initial-backoff", "100ms");
            config.put("hearth.aggregator.reconnect-max-backoff", "500ms");
            config.put("hearth.aggregator.call-timeout", "5s");
            config.put("hearth.aggregator.request-timeout", "5s");
            // Long, so a change taking effect within the test's wait came through Redis, not the timer.
            config.put("hearth.aggregator.resync-interval", "10m");
            config.put("HEARTH_TEST_GREETING", "hello");
            return config;
        }
    }

    @GrpcClient("self")
    MutinyToolServiceGrpc.MutinyToolServiceStub tools;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @jakarta.inject.Inject
    io.quarkus.redis.datasource.ReactiveRedisDataSource redis;

    @jakarta.inject.Inject
    dev.hearth.config.config.RedisKeys redisKeys;

    private final List<AutoCloseable> upstreams = new java.util.ArrayList<>();

    @AfterEach
    void removeServers() throws Exception {
        JsonPath all = admin().get(PATH).then().statusCode(200).extract().jsonPath();
        for (String name : all.<String>getList("mcp_servers.name")) {
            admin().delete(PATH + "/" + name).then().statusCode(204);
        }
        for (AutoCloseable upstream : upstreams) {
            upstream.close();
        }
    }

    static RequestSpecification admin() {
        return as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON);
    }

    private FakeMcpServer upstream(boolean notifies) throws Exception {
        FakeMcpServer fake = new FakeMcpServer(notifies);
        upstreams.add(fake);
        return fake;
    }

    static void register(String name, String url, int pollSeconds) {
        admin().body(new JsonObject().put("name", name).put("transport", "http").put("url", url)
                .put("poll_interval_seconds", pollSeconds).encode()).post(PATH).then().statusCode(201);
    }

    private ListToolsResponse list() {
        return tools.listTools(ListToolsRequest.getDefaultInstance()).await().atMost(WAIT);
    }

    private List<String> names() {
        return list().getToolsList().stream().map(ToolSpec::getName).toList();
    }

    private CallToolResponse call(String name, JsonObject arguments) {
        return tools.callTool(CallToolRequest.newBuilder().setName(name).setArgumentsJson(arguments.encode())
                .setCallId("call-1").build()).await().atMost(WAIT);
    }

    private static JsonPath tools(String server) {
        return admin().get(PATH + "/" + server + "/tools").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void toolsAppearNamespacedAndAListChangeReachesTheCatalog() throws Exception {
        FakeMcpServer weather = upstream(true);
        long before = list().getVersion();
        register("weather", weather.url(), 3600);

        await().atMost(WAIT).until(() -> names().contains("weather__forecast"));
        ListToolsResponse listed = list();
        // Listed one page per tool: both pages were followed.
        assertThat(listed.getToolsList().stream().map(ToolSpec::getName))
                .contains("weather__forecast", "weather__broken", "current_time");
        ToolSpec forecast = listed.getToolsList().stream().filter(t -> t.getName().equals("weather__forecast"))
                .findFirst().orElseThrow();
        assertThat(forecast.getDescription()).isEqualTo("The weather forecast for a city");
        assertThat(new JsonObject(forecast.getInputSchemaJson()).getJsonObject("properties").containsKey("city")).isTrue();
        assertThat(listed.getVersion()).isGreaterThan(before);

        // The upstream adds a tool and says so: the catalog follows, with a new version.
        await().atMost(WAIT).until(() -> weather.openStreams() > 0);
        long versionBefore = list().getVersion();
        weather.addTool("radar", "Rain radar");
        weather.notifyToolsChanged();
        await().atMost(WAIT).until(() -> names().contains("weather__radar"));
        assertThat(list().getVersion()).isGreaterThan(versionBefore);

        JsonPath live = tools("weather");
        assertThat(live.getString("state")).isEqualTo("ready");
        assertThat(live.getString("last_error")).isEmpty();
        assertThat(live.getString("last_refresh")).isNotBlank();
        assertThat(live.<String>getList("tools.name")).containsExactly("forecast", "broken", "radar");
        assertThat(live.<String>getList("tools.catalog_name")).contains("weather__radar");
    }

    @Test
    void aServerChangedThroughAnotherReplicaIsFollowedAtOnce() throws Exception {
        FakeMcpServer first = upstream(false);
        FakeMcpServer moved = upstream(false);
        moved.addTool("radar", "Rain radar");
        register("weather", first.url(), 3600);
        await().atMost(WAIT).until(() -> names().contains("weather__forecast"));
        assertThat(names()).doesNotContain("weather__radar");

        // Another replica moves the server: its transaction, then its announcement. This instance's
        // own write path is not involved, and its periodic resync is ten minutes away.
        long version = pool.withTransaction(tx -> tx.preparedQuery("UPDATE mcp_servers SET url = $1 WHERE name = $2")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(moved.url(), "weather"))
                        .chain(() -> tx.query("UPDATE config_version SET version = version + 1 WHERE id = 1 RETURNING version")
                                .execute()))
                .map(rows -> rows.iterator().next().getLong(0)).await().atMost(WAIT);
        redis.pubsub(String.class).publish(redisKeys.configChangesChannel(),
                new JsonObject().put("version", version).put("kind", "mcp_server").put("id", "weather").encode())
                .await().atMost(WAIT);

        await().atMost(WAIT).until(() -> names().contains("weather__radar"));
        assertThat(moved.initializations()).isPositive();
        assertThat(tools("weather").getString("state")).isEqualTo("ready");
        // Change events of other kinds, and junk, leave the connections alone.
        int initializations = moved.initializations();
        redis.pubsub(String.class).publish(redisKeys.configChangesChannel(), "not json").await().atMost(WAIT);
        redis.pubsub(String.class).publish(redisKeys.configChangesChannel(),
                new JsonObject().put("version", version).put("kind", "profile").put("id", "default").encode())
                .await().atMost(WAIT);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> moved.initializations() == initializations);
        assertThat(names()).contains("weather__radar");
    }

    @Test
    void aServerThatCannotNotifyIsPolled() throws Exception {
        FakeMcpServer lights = upstream(false);
        register("lights", lights.url(), 1);
        await().atMost(WAIT).until(() -> names().contains("lights__forecast"));
        lights.addTool("dim", "Dims the lights");
        await().atMost(WAIT).until(() -> names().contains("lights__dim"));
        assertThat(lights.openStreams()).isZero();
    }

    @Test
    void aToolSwitchedOffStaysOffAcrossRefreshesAndTheProfileGlobsApply() throws Exception {
        FakeMcpServer weather = upstream(false);
        register("weather", weather.url(), 1);
        await().atMost(WAIT).until(() -> names().contains("weather__broken"));

        JsonPath changed = admin().body("{\"enabled\": false}").patch(PATH + "/weather/tools/broken")
                .then().statusCode(200).extract().jsonPath();
        assertThat(changed.<String>getList("disabled_tools")).containsExactly("broken");
        assertThat(names()).doesNotContain("weather__broken").contains("weather__forecast");
        assertThatThrownBy(() -> call("weather__broken", new JsonObject()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

        // Refreshes (polls) and a new tool upstream do not bring it back.
        int lists = weather.toolLists();
        weather.addTool("uv", "UV index");
        await().atMost(WAIT).until(() -> names().contains("weather__uv"));
        await().atMost(WAIT).until(() -> weather.toolLists() > lists + 3);
        assertThat(names()).doesNotContain("weather__broken");
        assertThat(tools("weather").<Boolean>getList("tools.enabled")).containsExactly(true, false, true);

        admin().body("{\"enabled\": true}").patch(PATH + "/weather/tools/broken").then().statusCode(200);
        assertThat(names()).contains("weather__broken");

        // The whole server off: its tools leave the catalog; on again, they return.
        admin().body("{\"enabled\": false}").patch(PATH + "/weather").then().statusCode(200);
        assertThat(names()).noneMatch(n -> n.startsWith("weather__"));
        assertThat(tools("weather").getString("state")).isEqualTo("disabled");
        admin().body("{\"enabled\": true}").patch(PATH + "/weather").then().statusCode(200);
        await().atMost(WAIT).until(() -> names().contains("weather__forecast"));
    }

    @Test
    void callsAreRoutedAndUpstreamErrorResultsPassThrough() throws Exception {
        FakeMcpServer weather = upstream(true);
        register("weather", weather.url(), 3600);
        await().atMost(WAIT).until(() -> names().contains("weather__forecast"));

        CallToolResponse sunny = call("weather__forecast", new JsonObject().put("city", "Lyon"));
        assertThat(sunny.getIsError()).isFalse();
        assertThat(new JsonObject(sunny.getResultJson()).getJsonArray("content").getJsonObject(0).getString("text"))
                .isEqualTo("forecast: sunny in Lyon");

        CallToolResponse broken = call("weather__broken", new JsonObject());
        assertThat(broken.getIsError()).isTrue();
        assertThat(broken.getResultJson()).contains("sensor offline");

        assertThatThrownBy(() -> call("weather__nope", new JsonObject()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> call("elsewhere__forecast", new JsonObject()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        CallToolResponse notAnObject = tools.callTool(CallToolRequest.newBuilder().setName("weather__forecast")
                .setArgumentsJson("[1]").build()).await().atMost(WAIT);
        assertThat(notAnObject.getIsError()).isTrue();
        assertThat(new JsonObject(notAnObject.getResultJson()).getJsonObject("error").getString("code"))
                .isEqualTo("invalid_arguments");
    }

    @Test
    void unreachableAndGarbageUpstreamsGiveClearErrorsAndLeaveTheOthersWorking() throws Exception {
        FakeMcpServer weather = upstream(true);
        FakeMcpServer liar = upstream(true);
        liar.garbage();
        register("weather", weather.url(), 3600);
        register("gone", "http://127.0.0.1:1/mcp", 3600);
        register("liar", liar.url(), 3600);

        await().atMost(WAIT).until(() -> names().contains("weather__forecast"));
        await().atMost(WAIT).until(() -> tools("gone").getString("state").equals("failed"));
        await().atMost(WAIT).until(() -> tools("liar").getString("state").equals("failed"));
        assertThat(tools("gone").getString("last_error")).isNotBlank();
        assertThat(tools("liar").getString("last_error")).isNotBlank();
        assertThat(names()).noneMatch(n -> n.startsWith("gone__") || n.startsWith("liar__"));

        CallToolResponse down = call("gone__forecast", new JsonObject());
        assertThat(down.getIsError()).isTrue();
        JsonObject error = new JsonObject(down.getResultJson()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("upstream_unavailable");
        assertThat(error.getString("message")).contains("'gone'");
        assertThat(new JsonObject(call("liar__forecast", new JsonObject()).getResultJson()).getJsonObject("error")
                .getString("code")).isEqualTo("upstream_unavailable");

        assertThat(call("weather__forecast", new JsonObject().put("city", "Oslo")).getIsError()).isFalse();
    }

    @Test
    void aLostSessionIsReinitialized() throws Exception {
        FakeMcpServer weather = upstream(true);
        register("weather", weather.url(), 3600);
        await().atMost(WAIT).until(() -> names().contains("weather__forecast"));
        assertThat(weather.initializations()).isEqualTo(1);

        weather.forgetSessions();
        CallToolResponse answer = call("weather__forecast", new JsonObject().put("city", "Rome"));
        assertThat(answer.getIsError()).as(answer.getResultJson()).isFalse();
        assertThat(answer.getResultJson()).contains("sunny in Rome");
        assertThat(weather.initializations()).isGreaterThanOrEqualTo(2);
        // The new session gets notifications again.
        await().atMost(WAIT).until(() -> weather.openStreams() > 0);
        weather.addTool("radar", "Rain radar");
        weather.notifyToolsChanged();
        await().atMost(WAIT).until(() -> names().contains("weather__radar"));
    }

    @Test
    void aStdioServerIsStartedUsedAndStopped() throws Exception {
        Path pidFile = Files.createTempFile("hearth-stdio-mcp", ".pid");
        Files.delete(pidFile);
        String java = ProcessHandle.current().info().command().orElse("java");
        JsonObject body = new JsonObject().put("name", "local-tools").put("transport", "stdio").put("command", java)
                .put("args", new JsonArray().add("-cp").add(System.getProperty("java.class.path"))
                        .add(StdioMcpServerMain.class.getName()).add(pidFile.toString()))
                .put("env", new JsonObject().put("GREETING", "${HEARTH_TEST_GREETING}"));
        admin().body(body.encode()).post(PATH).then().statusCode(201);

        await().atMost(WAIT).until(() -> names().contains("local-tools__shout"));
        CallToolResponse shout = call("local-tools__shout", new JsonObject().put("text", "hi"));
        assertThat(shout.getIsError()).isFalse();
        assertThat(shout.getResultJson()).contains("hello HI");

        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        admin().delete(PATH + "/local-tools").then().statusCode(204);
        await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertThat(names()).noneMatch(n -> n.startsWith("local-tools__"));
        Files.deleteIfExists(pidFile);
    }
}
