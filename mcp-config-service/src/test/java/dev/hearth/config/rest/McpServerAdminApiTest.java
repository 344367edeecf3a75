package dev.hearth.config.rest;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.config.ConfigWriteProbe;
import dev.hearth.config.config.RedisKeys;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The external MCP servers' admin API refusing what it must: every bad body is a 400 problem naming
 * the field, a taken name a 409, and none of them writes a row, bumps the version or announces a
 * change. The servers registered here point at ports nothing listens on: the aggregator's
 * connection attempts are beside the point.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(ApiKeyAdminApiTest.WithAdminKey.class)
class McpServerAdminApiTest {

    static final String PATH = "/admin/v1/mcp-servers";
    static final String UNUSED_URL = "http://127.0.0.1:9/mcp";

    // The config tables and the version (the probe's), plus every MCP server row.
    private static final String SERVERS = "SELECT coalesce(json_agg(s ORDER BY s.name)::text, '[]') FROM mcp_servers s";

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RedisKeys redisKeys;

    private ConfigWriteProbe probe;

    @BeforeEach
    void subscribe() {
        probe = new ConfigWriteProbe(pool, redis, redisKeys);
        probe.subscribe();
    }

    @AfterEach
    void cleanUp() {
        JsonPath all = admin().get(PATH).then().statusCode(200).extract().jsonPath();
        for (String name : all.<String>getList("mcp_servers.name")) {
            admin().delete(PATH + "/" + name).then().statusCode(204);
        }
        probe.unsubscribe();
    }

    static RequestSpecification admin() {
        return as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON);
    }

    private String snapshot() {
        return probe.snapshot() + pool.query(SERVERS).execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
    }

    private void assertNothingWritten(String before) {
        assertThat(snapshot()).isEqualTo(before);
        assertThat(probe.changes()).isEmpty();
    }

    static JsonObject http(String name) {
        return new JsonObject().put("name", name).put("transport", "http").put("url", UNUSED_URL);
    }

    static JsonObject stdio(String name) {
        return new JsonObject().put("name", name).put("transport", "stdio").put("command", "/bin/true");
    }

    @Test
    void everyBadBodyIsRefusedWithTheFieldNamedAndNothingWritten() {
        String before = snapshot();
        Map<String, String> refused = new LinkedHashMap<>();
        // Names: "__" separates server and tool in the names the catalog offers.
        refused.put(http("weather__eu").encode(), "name must be 1 to 31 of a-z 0-9 _ -");
        refused.put(http("Weather").encode(), "name must be");
        refused.put(http("-weather").encode(), "name must be");
        refused.put(http("w".repeat(32)).encode(), "name must be");
        refused.put(http("").encode(), "name is required");
        refused.put(http("zigbee").encode(), "name 'zigbee' is reserved");
        refused.put(new JsonObject().put("transport", "http").put("url", UNUSED_URL).encode(), "name is required");
        // Transport, and what belongs to which.
        refused.put(new JsonObject().put("name", "weather").put("url", UNUSED_URL).encode(), "transport is required");
        refused.put(http("weather").put("transport", "sse").encode(), "transport must be http");
        refused.put(http("weather").put("url", null).encode(), "url is required for transport http");
        refused.put(http("weather").put("url", "ftp://weather.lan/mcp").encode(), "absolute http:// or https:// URL");
        refused.put(http("weather").put("url", "weather.lan/mcp").encode(), "absolute http:// or https:// URL");
        refused.put(http("weather").put("url", "http://user:pw@weather.lan/mcp").encode(), "must not have user info");
        refused.put(http("weather").put("url", "http://weather.lan/mcp?key=abc").encode(), "must not have user info, a query");
        refused.put(http("weather").put("command", "npx").encode(), "command, args and env are for transport stdio");
        refused.put(stdio("files").put("command", "  ").encode(), "command is required for transport stdio");
        refused.put(stdio("files").put("url", UNUSED_URL).encode(), "url and headers are for transport http");
        // Secrets never enter the database: headers name a variable, env values refer to one.
        refused.put(http("weather").put("headers", new JsonObject().put("Authorization",
                "Bearer sk-" + "a".repeat(40))).encode(), "headers.Authorization must be the NAME of an environment variable");
        refused.put(http("weather").put("headers", new JsonObject().put("Authorization", "weather-token")).encode(),
                "headers.Authorization must be an environment variable name");
        refused.put(http("weather").put("headers", new JsonObject().put("Bad Header", "WEATHER_TOKEN")).encode(),
                "headers keys must be HTTP header names");
        refused.put(stdio("files").put("env", new JsonObject().put("GITHUB_TOKEN", "ghp_" + "b".repeat(36))).encode(),
                "env.GITHUB_TOKEN looks like a secret: write ${NAME}");
        refused.put(stdio("files").put("env", new JsonObject().put("lower-case", "x")).encode(),
                "env keys must be environment variable names");
        refused.put(stdio("files").put("args", new JsonArray().add("--root").addNull()).encode(), "args[1] must be a string");
        // Ranges and tool names.
        refused.put(http("weather").put("poll_interval_seconds", 0).encode(), "poll_interval_seconds must be between 1 and 86400");
        refused.put(http("weather").put("poll_interval_seconds", 86_401).encode(), "poll_interval_seconds must be between");
        refused.put(http("weather").put("disabled_tools", new JsonArray().add("has space")).encode(),
                "disabled_tools[0] must be an MCP tool name");
        refused.put(http("weather").put("colour", "blue").encode(), "colour");
        // Wrong JSON types and malformed JSON.
        refused.put(http("weather").put("poll_interval_seconds", "often").encode(), "poll_interval_seconds");
        refused.put(http("weather").put("args", "not-a-list").encode(), "args");
        refused.put("{\"name\": \"weather\", \"transport\": ", "");
        refused.put("[1, 2]", "");
        refused.put("not json at all", "");

        refused.forEach((body, expected) -> {
            JsonPath problem = assertProblem(admin().body(body).post(PATH), 400, "invalid_request");
            assertThat(problem.getString("detail")).as(body).contains(expected);
        });
        // A body naming several problems names them all at once.
        JsonPath several = assertProblem(admin().body(http("a__b").put("transport", "sse")
                .put("poll_interval_seconds", -1).encode()).post(PATH), 400, "invalid_request");
        assertThat(several.getString("detail")).contains("name must be", "transport must be", "poll_interval_seconds");
        assertThat(assertProblem(admin().post(PATH), 400, "invalid_request").getString("detail"))
                .contains("a JSON body is required");
        assertNothingWritten(before);
    }

    @Test
    void aTakenNameIsAConflictAndAMissingServerIsNotFound() {
        admin().body(http("weather").encode()).post(PATH).then().statusCode(201);
        probe.changes();
        String before = snapshot();

        // The same name again, whatever the transport: 409, the first one untouched.
        assertThat(assertProblem(admin().body(stdio("weather").encode()).post(PATH), 409, "already_exists")
                .getString("detail")).contains("weather");
        // A PUT cannot rename, nor change what its path names.
        assertThat(assertProblem(admin().body(http("other").encode()).put(PATH + "/weather"), 400, "invalid_request")
                .getString("detail")).contains("cannot be renamed");
        // Nothing of that name: every verb says so.
        assertProblem(admin().get(PATH + "/nothing"), 404, "not_found");
        assertProblem(admin().get(PATH + "/nothing/tools"), 404, "not_found");
        assertProblem(admin().body(http("nothing").encode()).put(PATH + "/nothing"), 404, "not_found");
        assertProblem(admin().delete(PATH + "/nothing"), 404, "not_found");
        assertProblem(admin().body("{\"enabled\": false}").patch(PATH + "/nothing"), 404, "not_found");
        assertProblem(admin().body("{\"enabled\": false}").patch(PATH + "/nothing/tools/forecast"), 404, "not_found");
        // Switches take a boolean and a real tool name.
        assertProblem(admin().body("{\"enabled\": \"no\"}").patch(PATH + "/weather"), 400, "invalid_request");
        assertProblem(admin().body("{}").patch(PATH + "/weather"), 400, "invalid_request");
        assertProblem(admin().body("{\"enabled\": false}").patch(PATH + "/weather/tools/a%20b"), 400, "invalid_request");
        assertNothingWritten(before);

        Response kept = admin().get(PATH + "/weather");
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(kept.jsonPath().getString("transport")).isEqualTo("http");
        assertThat(kept.jsonPath().getString("url")).isEqualTo(UNUSED_URL);
    }

    @Test
    void secretsTravelAsReferencesAndAreStoredAsSuch() {
        long version = probe.version();
        JsonObject files = stdio("files").put("args", new JsonArray().add("--root").add("/srv/files"))
                .put("env", new JsonObject().put("GITHUB_TOKEN", "${HEARTH_GITHUB_TOKEN}").put("LOG_LEVEL", "info"));
        Response created = admin().body(files.encode()).post(PATH);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        probe.assertOneChange("mcp_server", "files", version);

        version = probe.version();
        JsonObject weather = http("weather").put("headers", new JsonObject().put("Authorization", "WEATHER_TOKEN"))
                .put("disabled_tools", new JsonArray().add("radar")).put("poll_interval_seconds", 30);
        admin().body(weather.encode()).post(PATH).then().statusCode(201);
        probe.assertOneChange("mcp_server", "weather", version);

        JsonPath stored = admin().get(PATH + "/files").then().statusCode(200).extract().jsonPath();
        assertThat(stored.getMap("env")).isEqualTo(Map.of("GITHUB_TOKEN", "${HEARTH_GITHUB_TOKEN}", "LOG_LEVEL", "info"));
        assertThat(stored.getList("args")).isEqualTo(List.of("--root", "/srv/files"));
        JsonPath http = admin().get(PATH + "/weather").then().statusCode(200).extract().jsonPath();
        assertThat(http.getMap("headers")).isEqualTo(Map.of("Authorization", "WEATHER_TOKEN"));
        assertThat(http.getList("disabled_tools")).containsExactly("radar");
        assertThat(http.getInt("poll_interval_seconds")).isEqualTo(30);
    }
}
