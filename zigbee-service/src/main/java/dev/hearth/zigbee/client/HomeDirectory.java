package dev.hearth.zigbee.client;

import dev.hearth.proto.v1.HomeDevice;
import dev.hearth.proto.v1.ListHomeDevicesRequest;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc.MutinyConfigServiceStub;
import dev.hearth.zigbee.config.ZigbeeConfig;
import dev.hearth.zigbee.service.DeviceRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The rooms and risk classes Hearth's own device list (mcp-config-service,
 * {@code ConfigService.ListHomeDevices}) gives the Zigbee devices, by IEEE address: Zigbee2MQTT has no
 * rooms, a model picks the right lamp far better when the tool says where it is, and an admin may
 * mark a plain switch as risky (it powers the oven). Read at start and every {@code rooms-refresh}; while
 * mcp-config is unreachable the last rooms (or none) stay, and nothing else depends on it.
 */
@ApplicationScoped
public class HomeDirectory {

    private static final Logger LOG = Logger.getLogger(HomeDirectory.class);

    private final MutinyConfigServiceStub config;
    private final DeviceRegistry registry;
    private final Vertx vertx;
    private final ZigbeeConfig settings;
    private volatile Map<String, String> rooms = Map.of();
    private volatile Map<String, String> riskClasses = Map.of();
    private volatile boolean warned;

    public HomeDirectory(@GrpcClient("config") MutinyConfigServiceStub config, DeviceRegistry registry, Vertx vertx,
            ZigbeeConfig settings) {
        this.config = config;
        this.registry = registry;
        this.vertx = vertx;
        this.settings = settings;
    }

    void start(@Observes StartupEvent event) {
        if (settings.roomsRefresh().isZero() || settings.roomsRefresh().isNegative()) {
            return;
        }
        refresh();
        vertx.setPeriodic(settings.roomsRefresh().toMillis(), id -> refresh());
    }

    public Optional<String> room(String ieeeAddress) {
        return Optional.ofNullable(rooms.get(ieeeAddress.toLowerCase(Locale.ROOT)));
    }

    /** The class an admin gave the device ({@code risk_class}), when it is not {@code normal}. */
    public Optional<String> riskClass(String ieeeAddress) {
        return Optional.ofNullable(riskClasses.get(ieeeAddress.toLowerCase(Locale.ROOT)));
    }

    void refresh() {
        config.withDeadlineAfter(3, TimeUnit.SECONDS).listHomeDevices(ListHomeDevicesRequest.getDefaultInstance())
                .subscribe().with(response -> {
                    Map<String, String> nextRooms = new HashMap<>();
                    Map<String, String> nextRisks = new HashMap<>();
                    for (HomeDevice device : response.getDevicesList()) {
                        String id = device.getId().toLowerCase(Locale.ROOT);
                        if (!device.getRoom().isBlank()) {
                            nextRooms.put(id, device.getRoom().strip());
                        }
                        String risk = device.getRiskClass().strip().toLowerCase(Locale.ROOT);
                        if (!risk.isEmpty() && !"normal".equals(risk)) {
                            nextRisks.put(id, risk);
                        }
                    }
                    warned = false;
                    if (!nextRooms.equals(rooms) || !nextRisks.equals(riskClasses)) {
                        rooms = Map.copyOf(nextRooms);
                        riskClasses = Map.copyOf(nextRisks);
                        registry.touch(); // tool descriptions and schemas carry both
                    }
                }, failure -> {
                    if (!warned) {
                        warned = true;
                        LOG.infof("Rooms from mcp-config-service are not available (%s); devices are described "
                                + "without them until it answers", failure.getMessage());
                    }
                });
    }
}
