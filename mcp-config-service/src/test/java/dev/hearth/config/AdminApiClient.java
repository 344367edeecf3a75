package dev.hearth.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/** The admin API over real HTTP (rest-assured against the test port), for the API key tests. */
public final class AdminApiClient {

    public static final String PATH = "/admin/v1/api-keys";
    /** What the tests configure as hearth.auth.bootstrap-key: an admin + chat key. */
    public static final String CONFIGURED_ADMIN_KEY = "hk_TestOnlyBootstrapKey_0123456789abcdefghijklmn";

    private AdminApiClient() {
    }

    /** Config for a test class that starts with {@link #CONFIGURED_ADMIN_KEY} and no LLM anywhere. */
    public static Map<String, String> withConfiguredAdminKey() {
        return Map.of("hearth.auth.bootstrap-key", CONFIGURED_ADMIN_KEY,
                "OPENAI_API_KEY", "", "OPENROUTER_API_KEY", "", "ANTHROPIC_API_KEY", "", "GEMINI_API_KEY", "",
                "hearth.seed.ollama-url", "http://127.0.0.1:1");
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    /** Creates a key as the configured admin and returns the 201 body (with the secret in "key"). */
    public static JsonPath create(String name, String userId, String... scopes) {
        return create(new JsonObject().put("name", name).put("user_id", userId).put("scopes", new JsonArray(java.util.List.of((Object[]) scopes))));
    }

    public static JsonPath create(JsonObject body) {
        return as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON).body(body.encode())
                .post(PATH).then().statusCode(201).extract().jsonPath();
    }

    /** Asserts an RFC 9457 problem with this status and code, and returns it. */
    public static JsonPath assertProblem(Response response, int status, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonPath problem = response.jsonPath();
        assertThat(problem.getString("type")).isEqualTo("about:blank");
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getInt("status")).isEqualTo(status);
        assertThat(problem.getString("code")).isEqualTo(code);
        assertThat(problem.getString("detail")).isNotBlank();
        return problem;
    }

    /** Hex SHA-256, computed here independently of the service's own code. */
    public static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
