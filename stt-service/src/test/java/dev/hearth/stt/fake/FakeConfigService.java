package dev.hearth.stt.fake;

import dev.hearth.proto.v1.ConfigServiceGrpc;
import dev.hearth.proto.v1.HomeDevice;
import dev.hearth.proto.v1.ListHomeDevicesRequest;
import dev.hearth.proto.v1.ListHomeDevicesResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * mcp-config-service's {@code ConfigService.ListHomeDevices} on a random port, over real gRPC: a
 * test home whose device list a test may change ({@link #add}).
 */
public class FakeConfigService implements QuarkusTestResourceLifecycleManager {

    /** The test home: friendly name, room; one alias, one name with a digit, one with an unknown word. */
    public static final List<HomeDevice> HOME = List.of(
            device("kitchen-light", "Kitchen light", "Kitchen", "ceiling light"),
            device("bedroom-lamp", "Bedroom lamp", "Bedroom"),
            device("living-tv", "Television", "Living room"),
            device("hall-heater", "Heater", "Hallway"),
            device("garage-door", "Garage door", "Garage"),
            device("front-lock", "Front door", "Hallway"),
            device("office-fan", "Fan 2", "Office"),
            device("hue-strip", "Hue Zqxlight strip", "Living room"),
            device("blinds", "Blinds", "Bedroom"),
            device("kettle", "Kettle", ""));

    private static final List<HomeDevice> devices = new CopyOnWriteArrayList<>(HOME);
    private static final AtomicLong version = new AtomicLong(1);
    private Server server;

    static HomeDevice device(String id, String name, String room, String... aliases) {
        return HomeDevice.newBuilder().setId(id).setFriendlyName(name).setRoom(room).addAllAliases(List.of(aliases))
                .setRiskClass("normal").setSource("manual").build();
    }

    /** A new device appears in the home (mcp-config's list changes). */
    public static void add(String id, String name, String room) {
        devices.add(device(id, name, room));
        version.incrementAndGet();
    }

    public static void reset() {
        devices.clear();
        devices.addAll(HOME);
        version.incrementAndGet();
    }

    @Override
    public Map<String, String> start() {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new ConfigServiceGrpc.ConfigServiceImplBase() {
                    @Override
                    public void listHomeDevices(ListHomeDevicesRequest request, StreamObserver<ListHomeDevicesResponse> observer) {
                        observer.onNext(ListHomeDevicesResponse.newBuilder().addAllDevices(new ArrayList<>(devices))
                                .setVersion(version.get()).build());
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
