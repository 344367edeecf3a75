package dev.hearth.zigbee;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.hearth.infra.testing.MqttTestResource;
import dev.hearth.proto.v1.ListDevicesRequest;
import dev.hearth.proto.v1.MutinyZigbeeGrpc;
import dev.hearth.zigbee.mqtt.BridgeStateListener;
import io.grpc.Status;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(MqttTestResource.class)
class ZigbeeServiceTest {

    @GrpcClient("self")
    MutinyZigbeeGrpc.MutinyZigbeeStub zigbee;

    @Inject
    BridgeStateListener bridge;

    @ConfigProperty(name = "hearth.mqtt.host")
    String mqttHost;

    @ConfigProperty(name = "hearth.mqtt.port")
    int mqttPort;

    @ConfigProperty(name = "hearth.zigbee.base-topic")
    String baseTopic;

    @Test
    void readyOnceConnectedToTheBrokerAndFollowsTheBridgeState() throws Exception {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));

        // A Zigbee2MQTT bridge announces itself with a retained bridge/state.
        Vertx vertx = Vertx.vertx();
        try {
            MqttClient client = MqttClient.create(vertx);
            client.connect(mqttPort, mqttHost).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            client.publish(baseTopic + "/bridge/state", Buffer.buffer("{\"state\":\"online\"}"), MqttQoS.AT_LEAST_ONCE,
                    false, true).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> bridge.lastState().contains("online"));
            // clear the retained message so the shared broker keeps nothing of this test
            client.publish(baseTopic + "/bridge/state", Buffer.buffer(new byte[0]), MqttQoS.AT_LEAST_ONCE, false, true)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            client.disconnect();
        } finally {
            vertx.close();
        }
    }

    @Test
    void devicesAreAClearUnimplementedForNow() {
        Throwable failure = zigbee.listDevices(ListDevicesRequest.getDefaultInstance())
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(10));
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(Status.fromThrowable(failure).getDescription()).contains("Zigbee");
    }
}
