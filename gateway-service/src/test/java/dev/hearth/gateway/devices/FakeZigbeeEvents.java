package dev.hearth.gateway.devices;

import dev.hearth.proto.v1.Device;
import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.proto.v1.ListDevicesRequest;
import dev.hearth.proto.v1.ListDevicesResponse;
import dev.hearth.proto.v1.WatchEventsRequest;
import dev.hearth.proto.v1.ZigbeeGrpc;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake zigbee-service on a random port speaking the real hearth.v1 {@code Zigbee} contract for
 * what the gateway uses: {@code ListDevices} (a kitchen light and a front door lock, with the
 * states {@link #STATES} holds) and {@code WatchEvents} (whatever {@link #emit} sends, to every
 * open stream). It can be shut down and started again on the same port. As a test resource it
 * only reserves the port; tests start the server from the application's class loader.
 */
public class FakeZigbeeEvents implements QuarkusTestResourceLifecycleManager {

    public static final String LIGHT = "kitchen_light";
    public static final String LOCK = "front_door";
    public static final Map<String, String> STATES = new ConcurrentHashMap<>();
    public static final AtomicInteger LISTS = new AtomicInteger();

    private static final int PORT = reservePort();
    private static final CopyOnWriteArrayList<ServerCallStreamObserver<DeviceEvent>> WATCHERS = new CopyOnWriteArrayList<>();
    private static Server server;

    @Override
    public Map<String, String> start() {
        return Map.of("hearth.zigbee.host", "127.0.0.1", "hearth.zigbee.port", String.valueOf(PORT),
                "hearth.gateway.devices.reconnect-initial-backoff", "100ms",
                "hearth.gateway.devices.reconnect-max-backoff", "400ms");
    }

    @Override
    public void stop() {
        shutDown();
    }

    private static int reservePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized void ensureStarted() {
        if (server != null) {
            return;
        }
        STATES.putIfAbsent(LIGHT, "{\"state\":\"OFF\",\"brightness\":0}");
        STATES.putIfAbsent(LOCK, "{\"state\":\"LOCK\"}");
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", PORT)).addService(new Zigbee()).build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** zigbee-service goes away: open watch streams fail, and the port refuses connections. */
    public static synchronized void shutDown() {
        if (server == null) {
            return;
        }
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WATCHERS.clear();
        server = null;
    }

    public static int watchers() {
        WATCHERS.removeIf(ServerCallStreamObserver::isCancelled);
        return WATCHERS.size();
    }

    public static void emit(String device, String kind, String payloadJson) {
        DeviceEvent event = DeviceEvent.newBuilder().setDevice(device).setKind(kind).setPayloadJson(payloadJson)
                .setAtMs(System.currentTimeMillis()).build();
        for (ServerCallStreamObserver<DeviceEvent> watcher : WATCHERS) {
            synchronized (watcher) {
                if (!watcher.isCancelled()) {
                    watcher.onNext(event);
                }
            }
        }
    }

    static Device device(String name) {
        boolean light = LIGHT.equals(name);
        return Device.newBuilder().setFriendlyName(name)
                .setIeeeAddress(light ? "0x00124b0001a2b3c4" : "0x00124b0009d8e7f6")
                .setType("Router").setModel(light ? "LED1545G12" : "YRD256").setVendor(light ? "IKEA" : "Yale")
                .setRoom(light ? "kitchen" : "hall").setAvailable(true).setStateJson(STATES.get(name)).build();
    }

    static final class Zigbee extends ZigbeeGrpc.ZigbeeImplBase {

        @Override
        public void listDevices(ListDevicesRequest request, StreamObserver<ListDevicesResponse> observer) {
            LISTS.incrementAndGet();
            observer.onNext(ListDevicesResponse.newBuilder().addDevices(device(LIGHT)).addDevices(device(LOCK)).build());
            observer.onCompleted();
        }

        @Override
        public void watchEvents(WatchEventsRequest request, StreamObserver<DeviceEvent> observer) {
            WATCHERS.add((ServerCallStreamObserver<DeviceEvent>) observer);
        }
    }
}
