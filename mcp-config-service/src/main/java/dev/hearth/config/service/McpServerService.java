package dev.hearth.config.service;

import dev.hearth.config.McpServer;
import dev.hearth.config.aggregator.UpstreamRegistry;
import dev.hearth.config.aggregator.UpstreamStatus;
import dev.hearth.config.repository.McpServerRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lists and changes external MCP servers. Every write is announced on Redis once committed, and the
 * aggregator follows it at once (its periodic resync catches whatever this instance did not write).
 */
@ApplicationScoped
public class McpServerService {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(McpServerService.class);

    private final McpServerRepository servers;
    private final ConfigChangePublisher publisher;
    private final UpstreamRegistry upstreams;

    public McpServerService(McpServerRepository servers, ConfigChangePublisher publisher, UpstreamRegistry upstreams) {
        this.servers = servers;
        this.publisher = publisher;
        this.upstreams = upstreams;
    }

    public Uni<List<McpServer>> list() {
        return servers.list();
    }

    public Uni<Optional<McpServer>> find(String name) {
        return servers.find(name);
    }

    public Uni<McpServer> create(McpServer server) {
        return servers.insert(server).call(publisher::publish).call(this::follow).replaceWith(server);
    }

    public Uni<McpServer> replace(McpServer server) {
        return servers.replace(server).call(publisher::publish).call(this::follow).replaceWith(server);
    }

    public Uni<Void> delete(String name) {
        return servers.delete(name).call(publisher::publish).call(this::follow).replaceWithVoid();
    }

    public Uni<McpServer> enable(String name, boolean enabled) {
        return write(name, server -> server.withEnabled(enabled));
    }

    /** Switches one tool by its upstream name; it need not be listed now (the switch waits for it). */
    public Uni<McpServer> enableTool(String name, String tool, boolean enabled) {
        return write(name, server -> {
            Set<String> disabled = new HashSet<>(server.disabledTools());
            if (enabled) {
                disabled.remove(tool);
            } else {
                disabled.add(tool);
            }
            return new McpServer(server.name(), server.transport(), server.url(), server.headers(), server.command(),
                    server.args(), server.env(), server.enabled(), disabled, server.pollIntervalSeconds());
        });
    }

    public Optional<UpstreamStatus> status(String name) {
        return upstreams.status(name);
    }

    private Uni<McpServer> write(String name, java.util.function.UnaryOperator<McpServer> change) {
        return servers.update(name, change)
                .call(write -> publisher.publish(write.change()))
                .call(this::follow)
                .map(McpServerRepository.Write::server);
    }

    /**
     * The aggregator re-reads the stored servers after the committed write (reads are serialized, so
     * none begun earlier can undo it). The write stands even if that read fails: the periodic
     * resync applies it then.
     */
    private Uni<Void> follow() {
        return upstreams.resync().onFailure().invoke(e -> LOG.warnf("MCP servers not resynced after a write (%s); "
                + "the periodic resync applies it", e.getMessage())).onFailure().recoverWithNull();
    }
}
