package dev.hearth.config.service;

import dev.hearth.config.ProfileDefinition;
import dev.hearth.config.repository.ProfileRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Lists, creates, replaces and deletes profiles; every write is announced on Redis once committed. */
@ApplicationScoped
public class ProfileService {

    private final ProfileRepository profiles;
    private final ConfigChangePublisher publisher;

    public ProfileService(ProfileRepository profiles, ConfigChangePublisher publisher) {
        this.profiles = profiles;
        this.publisher = publisher;
    }

    public Uni<List<ProfileDefinition>> list() {
        return profiles.listDefinitions();
    }

    public Uni<Optional<ProfileDefinition>> find(String name) {
        return profiles.findDefinition(name);
    }

    public Uni<ProfileDefinition> create(ProfileDefinition profile) {
        return profiles.insert(profile).call(publisher::publish).replaceWith(profile);
    }

    public Uni<ProfileDefinition> replace(ProfileDefinition profile) {
        return profiles.replace(profile).call(publisher::publish).replaceWith(profile);
    }

    public Uni<Void> delete(String name) {
        return profiles.delete(name).call(publisher::publish).replaceWithVoid();
    }
}
