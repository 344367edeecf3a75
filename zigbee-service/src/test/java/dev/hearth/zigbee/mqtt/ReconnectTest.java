package dev.hearth.zigbee.mqtt;

import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.SENSOR;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.zigbee.SimulatedHome;
import dev.hearth.zigbee.ZigbeeDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A lost broker connection: another client connects with the service's client id, so the broker
 * drops the service's session (as on a broker restart). The service reconnects with backoff,
 * subscribes again, and takes messages as before.
 */
@QuarkusTest
class ReconnectTest extends SimulatedHome {

    @Test
    void reconnectsAndResubscribesAfterTheBrokerDropsTheSession() throws Exception {
        int sessions = broker.sessions();
        Vertx vertx = Vertx.vertx();
        try {
            MqttClient impostor = MqttClient.create(vertx, new MqttClientOptions().setClientId(broker.clientId()));
            impostor.connect(Integer.parseInt(config("hearth.mqtt.port")), config("hearth.mqtt.host"))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            impostor.disconnect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        await().atMost(PATIENCE).until(() -> broker.sessions() > sessions && broker.connected());

        // Non-retained, so only a live subscription can bring it.
        await().atMost(PATIENCE).until(() -> {
            sim.change(SENSOR, new JsonObject().put("humidity", 61.0));
            return registry.find(SENSOR).map(ZigbeeDevice::state).map(s -> s.getDouble("humidity")).orElse(0.0) == 61.0;
        });
        given().get("/q/health/ready").then().statusCode(200);
        assertThat(registry.devices()).hasSize(DEVICES);
    }
}
