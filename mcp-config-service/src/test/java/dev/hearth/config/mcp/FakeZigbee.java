package dev.hearth.config.mcp;

import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.CallToolResponse;
import dev.hearth.proto.v1.CommandOutcome;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ListToolsResponse;
import dev.hearth.proto.v1.ToolServiceGrpc;
import dev.hearth.proto.v1.ToolSpec;
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
    public static final ConcurrentLinkedQueue<CallToolRequest> TOOL_CALLS = new ConcurrentLinkedQueue<>();
    /** The light's tool as zigbee-service would describe it (its writable exposes as a JSON Schema). */
    public static final String LIGHT_SCHEMA = "{\"type\":\"object\",\"properties\":{\"state\":{\"type\":\"string\","
            + "\"enum\":[\"ON\",\"OFF\",\"TOGGLE\"]},\"brightness\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":254}},"
            + "\"additionalProperties\":false}";

    private static final int PORT = reservePort();
    private static final Map<String, JsonObject> STATES = new ConcurrentHashMap<>();
    private static Server server;
    private static boolean hookAdded;

    @Override
    public Map<String, String> start() {
        return Map.of("hearth.zigbee.host", "127.0.0.1", "hearth.zigbee.port", String.valueOf(PORT),
                "hearth.mcp.zigbee.tools-refresh-interval", "300ms");
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
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", PORT)).addService(new Zigbee())
                .addService(new DeviceTools()).build();
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

    /** zigbee-service's device tools: one for the light; a call merges its arguments into the light's state. */
    static final class DeviceTools extends ToolServiceGrpc.ToolServiceImplBase {

        @Override
        public void listTools(ListToolsRequest request, StreamObserver<ListToolsResponse> observer) {
            observer.onNext(ListToolsResponse.newBuilder().setVersion(7).addTools(ToolSpec.newBuilder().setName(LIGHT)
                    .setDescription("Kitchen light (IKEA LED1545G12, kitchen): on/off and brightness")
                    .setInputSchemaJson(LIGHT_SCHEMA)).build());
            observer.onCompleted();
        }

        @Override
        public void callTool(CallToolRequest request, StreamObserver<CallToolResponse> observer) {
            TOOL_CALLS.add(request);
            if (!LIGHT.equals(request.getName())) {
                observer.onError(Status.NOT_FOUND.withDescription("no device tool " + request.getName()).asRuntimeException());
                return;
            }
            JsonObject arguments = new JsonObject(request.getArgumentsJson());
            if (arguments.getValue("brightness") instanceof Number n && n.intValue() > 254) {
                observer.onNext(CallToolResponse.newBuilder().setIsError(true).setResultJson(new JsonObject()
                        .put("error", new JsonObject().put("code", "invalid_arguments").put("message", "brightness must be at most 254"))
                        .encode()).build());
                observer.onCompleted();
                return;
            }
            JsonObject state = STATES.get(LIGHT).mergeIn(arguments);
            observer.onNext(CallToolResponse.newBuilder().setResultJson(new JsonObject().put("device", LIGHT)
                    .put("outcome", "confirmed").put("state", state.copy()).encode()).build());
            observer.onCompleted();
        }
    }
}
