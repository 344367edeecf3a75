package dev.hearth.config.service;

import dev.hearth.config.User;
import dev.hearth.config.repository.UserRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Lists, creates, renames and deletes users; every write is announced on Redis once committed.
 * Creating an API key for a new user id creates the user too (announced as that key's change).
 */
@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final ConfigChangePublisher publisher;

    public UserService(UserRepository users, ConfigChangePublisher publisher) {
        this.users = users;
        this.publisher = publisher;
    }

    public Uni<List<User>> list() {
        return users.list();
    }

    public Uni<Optional<User>> find(String id) {
        return users.find(id);
    }

    public Uni<User> create(String id, String displayName) {
        return users.insert(id, displayName).call(written -> publisher.publish(written.change()))
                .map(UserRepository.Written::user);
    }

    public Uni<User> replace(String id, String displayName) {
        return users.replace(id, displayName).call(written -> publisher.publish(written.change()))
                .map(UserRepository.Written::user);
    }

    /** Refused ({@code IN_USE}) while the user has a usable API key or any conversation. */
    public Uni<Void> delete(String id) {
        return users.delete(id).call(publisher::publish).replaceWithVoid();
    }
}
