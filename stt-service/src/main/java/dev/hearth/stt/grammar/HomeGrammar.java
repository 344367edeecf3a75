package dev.hearth.stt.grammar;

import dev.hearth.proto.v1.HomeDevice;
import dev.hearth.proto.v1.ListHomeDevicesRequest;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc.MutinyConfigServiceStub;
import dev.hearth.stt.config.SttSettings;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The current command grammar, kept in step with mcp-config's device list: re-read on a timer
 * and rebuilt only when the devices changed. When mcp-config cannot be reached the last grammar
 * stays (logged once until it answers again).
 */
@ApplicationScoped
public class HomeGrammar {

    private static final Logger LOG = Logger.getLogger(HomeGrammar.class);

    /** A grammar and its version (bumped on every rebuild; decoders reload when it changes). */
    public record Current(CommandGrammar grammar, long version) {}

    private final MutinyConfigServiceStub config;
    private final SttSettings.Grammar settings;
    private final Dictionary dictionary;
    private final AtomicBoolean unreachableLogged = new AtomicBoolean();
    private volatile Current current = new Current(null, 0);
    private volatile List<HomeDevice> lastDevices;

    public HomeGrammar(@GrpcClient("config") MutinyConfigServiceStub config, SttSettings settings, Dictionary dictionary) {
        this.config = config;
        this.settings = settings.grammar();
        this.dictionary = dictionary;
    }

    public Current current() {
        return current;
    }

    /** The first grammar right away rather than at the first timer tick. */
    void onStart(@Observes StartupEvent event) {
        refresh().subscribe().with(current -> { }, failure -> { });
    }

    @Scheduled(every = "${hearth.stt.grammar.refresh:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRefresh() {
        return refresh().replaceWithVoid();
    }

    /** Re-reads the device list; the Uni gives the grammar in force afterwards. */
    public Uni<Current> refresh() {
        if (!settings.enabled()) {
            return Uni.createFrom().item(current);
        }
        return config.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .listHomeDevices(ListHomeDevicesRequest.getDefaultInstance())
                .map(response -> {
                    if (unreachableLogged.getAndSet(false)) {
                        LOG.info("mcp-config answers again; the command grammar follows its device list");
                    }
                    update(response.getDevicesList());
                    return current;
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!unreachableLogged.getAndSet(true)) {
                        LOG.warnf("mcp-config's device list could not be read (%s); keeping the %s", failure.getMessage(),
                                current.grammar() == null ? "general model only" : "last command grammar");
                    }
                    return current;
                });
    }

    synchronized void update(List<HomeDevice> devices) {
        if (devices.equals(lastDevices)) {
            return;
        }
        lastDevices = List.copyOf(devices);
        Predicate<String> known = dictionary::contains;
        CommandGrammar grammar = CommandGrammar.of(devices, known);
        CommandGrammar old = current.grammar();
        if (grammar == null ? old == null : old != null && grammar.jsgf().equals(old.jsgf())) {
            return;
        }
        current = new Current(grammar, current.version() + 1);
        LOG.infof("command grammar v%d: %d device names, %d rooms", current.version(),
                grammar == null ? 0 : grammar.devices().size(), grammar == null ? 0 : grammar.rooms().size());
    }
}
