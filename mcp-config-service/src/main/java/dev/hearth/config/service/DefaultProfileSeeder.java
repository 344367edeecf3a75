package dev.hearth.config.service;

import dev.hearth.config.repository.ProfileRepository;
import dev.hearth.config.repository.SeedRepository;
import dev.hearth.config.tools.BuiltInTools;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * On the first start (no profile yet) creates the {@code default} and {@code demo} profiles, the
 * default one on a real provider when one is configured and allowed the built-in tools, and says at
 * startup which it chose.
 */
@ApplicationScoped
public class DefaultProfileSeeder {

    private static final Logger LOG = Logger.getLogger(DefaultProfileSeeder.class);

    private final ProfileRepository profiles;
    private final SeedRepository seeds;
    private final ProviderDetector detector;
    private final ConfigChangePublisher publisher;
    private final BuiltInTools builtIns;

    public DefaultProfileSeeder(ProfileRepository profiles, SeedRepository seeds, ProviderDetector detector,
            ConfigChangePublisher publisher, BuiltInTools builtIns) {
        this.profiles = profiles;
        this.seeds = seeds;
        this.detector = detector;
        this.publisher = publisher;
        this.builtIns = builtIns;
    }

    // Blocking is fine here: StartupEvent observers run on the main thread before traffic is served.
    void onStart(@Observes StartupEvent event) {
        seedIfEmpty().await().atMost(Duration.ofSeconds(60));
    }

    Uni<Void> seedIfEmpty() {
        return profiles.count().chain(existing -> {
            if (existing > 0) {
                return profiles.find("").invoke(p -> p.ifPresent(profile -> LOG.infof(
                        "default profile '%s' uses provider '%s' model '%s'", profile.getName(),
                        profile.getTargets(0).getProvider().getName(), profile.getTargets(0).getModel())))
                        .replaceWithVoid();
            }
            return detector.detect().chain(choice -> seeds.seed(choice, builtIns.names())
                    .invoke(change -> change.ifPresent(c -> announce(choice)))
                    .chain(change -> change.map(publisher::publish).orElse(Uni.createFrom().voidItem())));
        });
    }

    private static void announce(ProviderChoice choice) {
        if (choice.isDemo()) {
            LOG.infof("first start: the default profile uses the built-in demo provider (%s). "
                    + "Set " + ProviderDetector.KEY_VARIABLES + ", or run Ollama, or define a provider and profile "
                    + "with the admin API (/admin/v1/providers, /admin/v1/profiles) to use a real LLM.",
                    choice.reason());
        } else {
            LOG.infof("first start: the default profile uses provider '%s' model '%s' (%s)",
                    choice.name(), choice.model(), choice.reason());
        }
    }
}
