package dev.hearth.config.mcp;

import dev.hearth.proto.v1.CommandOutcome;
import dev.hearth.proto.v1.CommandResult;
import dev.hearth.proto.v1.Device;
import dev.hearth.proto.v1.GetDeviceRequest;
import dev.hearth.proto.v1.ListDevicesRequest;
import dev.hearth.proto.v1.ListDevicesResponse;
import dev.hearth.proto.v1.SetStateRequest;
import dev.hearth.proto.v1.ZigbeeGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A fake zigbee-service speaking the real hearth.v1 {@code Zigbee} gRPC contract on a random port:
 * {@code kitchen_light} (a light; commands are confirmed and merged into its state) and
 * {@code front_door} (a lock: a command without {@code confirmed} is FAILED_PRECONDITION); any
 * other device is NOT_FOUND. As a test resource it only reserves the port and points
 * {@code hearth.zigbee.*} at it; tests start the server from the application's class loader
 * ({@link #ensureStarted}), where the gRPC classes match the application's.
 */
public class FakeZigbee implements QuarkusTestResourceLifecycleManager {

    public static final String LIGHT = "kitchen_light";
    public static final String LOCK = "front_door";
    public static final ConcurrentLinkedQueue<SetStateRequest> SET_REQUESTS = new ConcurrentLinkedQueue<>();

    private static final int PORT = reservePort();
    private static final Map<String, JsonObject> STATES = new ConcurrentHashMap<>();
    private static Server server;
    private static boolean hookAdded;

    @Override
    public Map<String, String> start() {
        return Map.of("hearth.zigbee.host", "127.0.0.1", "hearth.zigbee.port", String.valueOf(PORT));
    }

    @Override
    public void stop() {
        // the server lives as long as the test JVM
    }

    static int reservePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized void ensureStarted() {
        STATES.put(LIGHT, new JsonObject().put("state", "OFF").put("brightness", 0));
        STATES.put(LOCK, new JsonObject().put("state", "LOCK"));
        if (server != null) {
            return;
        }
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", PORT)).addService(new Zigbee()).build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (!hookAdded) {
            hookAdded = true;
            Runtime.getRuntime().addShutdownHook(new Thread(FakeZigbee::shutDown));
        }
    }

    /** zigbee-service goes away: its port refuses connections until {@link #ensureStarted} runs again. */
    public static synchronized void shutDown() {
        if (server == null) {
            return;
        }
        server.shutdownNow();
        try {
            server.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    static Device device(String name) {
        boolean light = LIGHT.equals(name);
        return Device.newBuilder()
                .setFriendlyName(name)
                .setIeeeAddress(light ? "0x00124b0001a2b3c4" : "0x00124b0009d8e7f6")
                .setType("Router")
                .setModel(light ? "LED1545G12" : "YRD256")
                .setVendor(light ? "IKEA" : "Yale")
                .setRoom(light ? "kitchen" : "hall")
                .setAvailable(true)
                .setStateJson(STATES.get(name).encode())
                .setExposesJson(light ? "[{\"type\":\"light\",\"features\":[{\"name\":\"state\"},{\"name\":\"brightness\"}]}]"
                        : "[{\"type\":\"lock\",\"features\":[{\"name\":\"state\"}]}]")
                .build();
    }

    static final class Zigbee extends ZigbeeGrpc.ZigbeeImplBase {

        @Override
        public void listDevices(ListDevicesRequest request, StreamObserver<ListDevicesResponse> observer) {
            observer.onNext(ListDevicesResponse.newBuilder().addDevices(device(LIGHT)).addDevices(device(LOCK)).build());
            observer.onCompleted();
        }

        @Override
        public void getDevice(GetDeviceRequest request, StreamObserver<Device> observer) {
            if (!STATES.containsKey(request.getDevice())) {
                observer.onError(Status.NOT_FOUND.withDescription("no device " + request.getDevice()).asRuntimeException());
                return;
            }
            observer.onNext(device(request.getDevice()));
            observer.onCompleted();
        }

        @Override
        public void setState(SetStateRequest request, StreamObserver<CommandResult> observer) {
            SET_REQUESTS.add(request);
            JsonObject state = STATES.get(request.getDevice());
            if (state == null) {
                observer.onError(Status.NOT_FOUND.withDescription("no device " + request.getDevice()).asRuntimeException());
                return;
            }
            if (LOCK.equals(request.getDevice()) && !request.getConfirmed()) {
                observer.onError(Status.FAILED_PRECONDITION
                        .withDescription("a lock is a risky device: ask the user, then send confirmed=true").asRuntimeException());
                return;
            }
            state.mergeIn(new JsonObject(request.getStateJson()));
            observer.onNext(CommandResult.newBuilder().setOutcome(CommandOutcome.COMMAND_OUTCOME_CONFIRMED)
                    .setStateJson(state.encode()).build());
            observer.onCompleted();
        }
    }
}
