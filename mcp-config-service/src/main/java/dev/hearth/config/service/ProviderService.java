package dev.hearth.config.service;

import dev.hearth.config.Provider;
import dev.hearth.config.repository.ProviderRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Lists, creates, replaces and deletes providers; every write is announced on Redis once committed. */
@ApplicationScoped
public class ProviderService {

    private final ProviderRepository providers;
    private final ConfigChangePublisher publisher;

    public ProviderService(ProviderRepository providers, ConfigChangePublisher publisher) {
        this.providers = providers;
        this.publisher = publisher;
    }

    public Uni<List<Provider>> list() {
        return providers.list();
    }

    public Uni<Optional<Provider>> find(String name) {
        return providers.find(name);
    }

    public Uni<Provider> create(Provider provider) {
        return providers.insert(provider).call(publisher::publish).replaceWith(provider);
    }

    public Uni<Provider> replace(Provider provider) {
        return providers.replace(provider).call(publisher::publish).replaceWith(provider);
    }

    public Uni<Void> delete(String name) {
        return providers.delete(name).call(publisher::publish).replaceWithVoid();
    }
}
