package dev.hearth.zigbee.client;

import dev.hearth.proto.v1.ConfigServiceGrpc;
import dev.hearth.proto.v1.HomeDevice;
import dev.hearth.proto.v1.ListHomeDevicesRequest;
import dev.hearth.proto.v1.ListHomeDevicesResponse;
import dev.hearth.zigbee.sim.Zigbee2MqttSimulator;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * mcp-config-service's {@code ConfigService.ListHomeDevices} on a random port, over real gRPC: Hearth's
 * own names for two of the simulator's devices, with rooms.
 */
public class FakeConfigService implements QuarkusTestResourceLifecycleManager {

    public static final String LAMP_ROOM = "Living room";
    public static final String LOCK_ROOM = "Hallway";

    private Server server;

    @Override
    public Map<String, String> start() {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new ConfigServiceGrpc.ConfigServiceImplBase() {
                    @Override
                    public void listHomeDevices(ListHomeDevicesRequest request,
                            StreamObserver<ListHomeDevicesResponse> observer) {
                        observer.onNext(ListHomeDevicesResponse.newBuilder().setVersion(3)
                                .addDevices(HomeDevice.newBuilder()
                                        .setId(Zigbee2MqttSimulator.ieeeOf(Zigbee2MqttSimulator.LAMP))
                                        .setFriendlyName("Sofa lamp").setRoom(LAMP_ROOM).setRiskClass("normal"))
                                .addDevices(HomeDevice.newBuilder()
                                        .setId(Zigbee2MqttSimulator.ieeeOf(Zigbee2MqttSimulator.LOCK).toUpperCase()
                                                .replace("0X", "0x"))
                                        .setFriendlyName("Front door").setRoom(LOCK_ROOM).setRiskClass("lock"))
                                // An admin marked the switch risky: it powers the oven.
                                .addDevices(HomeDevice.newBuilder()
                                        .setId(Zigbee2MqttSimulator.ieeeOf(Zigbee2MqttSimulator.SWITCH_2GANG))
                                        .setFriendlyName("Oven switch").setRiskClass("appliance"))
                                .addDevices(HomeDevice.newBuilder().setId("kettle-1").setFriendlyName("Kettle")
                                        .setSource("manual"))
                                .build());
                        observer.onCompleted();
                    }
                }).build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("hearth.config.host", "127.0.0.1", "hearth.config.port", String.valueOf(server.getPort()));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }
}
