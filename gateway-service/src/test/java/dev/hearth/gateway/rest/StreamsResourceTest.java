package dev.hearth.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.hearth.gateway.FakeRouter;
import dev.hearth.gateway.ws.WsTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing the running streams: a user sees their own, an admin sees all; without a key, nothing. */
@QuarkusTest
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class StreamsResourceTest {

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @BeforeEach
    void startFakeRouter() {
        FakeRouter.ensureStarted(routerPort);
    }

    private static JsonPath list(String key) {
        return given().header("Authorization", "Bearer " + key).get("/v1/streams")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void listsTheCallersStreamsWithTheirWatchersAndAllOfThemForAnAdmin() throws Exception {
        String alices = "list-a-" + UUID.randomUUID();
        String bobs = "list-b-" + UUID.randomUUID();
        try (WsTestClient alice = WsTestClient.open(base.getPort()); WsTestClient alicePhone = WsTestClient.open(base.getPort(), FakeRouter.ALICE_PHONE);
                WsTestClient bob = WsTestClient.open(base.getPort(), FakeRouter.BOB)) {
            alice.send("chat", "a", new JsonObject().put("text", "slow").put("stream_id", alices));
            alice.nextFor("a");
            alicePhone.send("subscribe", "s", new JsonObject().put("stream_id", alices));
            alicePhone.nextFor("s");
            bob.send("chat", "b", new JsonObject().put("text", "slow").put("stream_id", bobs));
            bob.nextFor("b");

            List<String> alicesView = list(FakeRouter.ALICE).getList("data.id");
            assertThat(alicesView).contains(alices).doesNotContain(bobs);
            JsonPath admins = list(FakeRouter.ADMIN);
            assertThat(admins.getList("data.id", String.class)).contains(alices, bobs);
            assertThat(admins.getInt("data.find { it.id == '" + alices + "' }.clients")).isEqualTo(2);
            assertThat(admins.getString("data.find { it.id == '" + bobs + "' }.owner")).isEqualTo("bob");

            given().get("/v1/streams").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
            alice.send("cancel", "x", new JsonObject().put("stream_id", alices));
            bob.send("cancel", "y", new JsonObject().put("stream_id", bobs));
            alice.streamOf("a");
            bob.streamOf("b");
        }
    }
}
