package dev.hearth.config.service;

import dev.hearth.config.Device;
import dev.hearth.config.repository.DeviceRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Lists, finds, creates, replaces and deletes devices; every write is announced on Redis once
 * committed. {@link #findByName} is how a spoken name ("the kitchen light") becomes a device.
 */
@ApplicationScoped
public class DeviceService {

    private final DeviceRepository devices;
    private final ConfigChangePublisher publisher;

    public DeviceService(DeviceRepository devices, ConfigChangePublisher publisher) {
        this.devices = devices;
        this.publisher = publisher;
    }

    public Uni<List<Device>> list() {
        return devices.list();
    }

    public Uni<Optional<Device>> find(String id) {
        return devices.find(id);
    }

    /** The device whose friendly name or alias this is, ignoring case and extra spaces. */
    public Uni<Optional<Device>> findByName(String name) {
        if (name == null || name.isBlank()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return devices.findByName(name);
    }

    public Uni<Device> create(Device device) {
        return devices.insert(device).call(written -> publisher.publish(written.change()))
                .map(DeviceRepository.Written::device);
    }

    public Uni<Device> replace(Device device) {
        return devices.replace(device).call(written -> publisher.publish(written.change()))
                .map(DeviceRepository.Written::device);
    }

    public Uni<Void> delete(String id) {
        return devices.delete(id).call(publisher::publish).replaceWithVoid();
    }
}
