package dev.hearth.config.repository;

import dev.hearth.config.ConfigChange;
import dev.hearth.config.McpServer;
import dev.hearth.config.repository.ConfigWriteRefusedException.Reason;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * External MCP servers. Every write is one transaction that also bumps the config version and
 * returns the change to publish once committed; a refused write fails with
 * {@link ConfigWriteRefusedException}.
 */
@ApplicationScoped
public class McpServerRepository {

    /** The kind of {@link ConfigChange} MCP server writes produce. */
    public static final String CHANGE_KIND = "mcp_server";

    private static final String COLUMNS =
            "name, transport, url, headers, command, args, env, enabled, disabled_tools, poll_interval_seconds";

    /** A committed write: the server as stored and the change to announce. */
    public record Write(McpServer server, ConfigChange change) {
    }

    private final Pool pool;
    private final ConfigVersionRepository versions;

    public McpServerRepository(Pool pool, ConfigVersionRepository versions) {
        this.pool = pool;
        this.versions = versions;
    }

    public Uni<List<McpServer>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM mcp_servers ORDER BY name").execute()
                .map(McpServerRepository::servers);
    }

    public Uni<Optional<McpServer>> find(String name) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM mcp_servers WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> servers(rows).stream().findFirst());
    }

    public Uni<ConfigChange> insert(McpServer server) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO mcp_servers (" + COLUMNS + ") "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (name) DO NOTHING")
                .execute(values(server))
                .chain(rows -> rows.rowCount() == 0
                        ? ProviderRepository.<Long>refuse(Reason.ALREADY_EXISTS, "an MCP server named '" + server.name()
                                + "' exists already: PUT /admin/v1/mcp-servers/" + server.name() + " replaces it")
                        : versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, server.name())));
    }

    /** Replaces every field but the name. */
    public Uni<ConfigChange> replace(McpServer server) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        UPDATE mcp_servers SET transport = $2, url = $3, headers = $4, command = $5, args = $6, env = $7,
                               enabled = $8, disabled_tools = $9, poll_interval_seconds = $10, updated_at = now()
                         WHERE name = $1""")
                .execute(values(server))
                .chain(rows -> rows.rowCount() == 0
                        ? ProviderRepository.<Long>refuse(Reason.NOT_FOUND, notFound(server.name()))
                        : versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, server.name())));
    }

    /**
     * Changes a stored server (its switches) under a row lock, so two concurrent switches of one
     * server do not undo each other.
     */
    public Uni<Write> update(String name, UnaryOperator<McpServer> change) {
        return pool.withTransaction(tx -> tx.preparedQuery(
                        "SELECT " + COLUMNS + " FROM mcp_servers WHERE name = $1 FOR UPDATE").execute(Tuple.of(name))
                .chain(rows -> {
                    Optional<McpServer> stored = servers(rows).stream().findFirst();
                    if (stored.isEmpty()) {
                        return ProviderRepository.<Write>refuse(Reason.NOT_FOUND, notFound(name));
                    }
                    McpServer changed = change.apply(stored.get());
                    return tx.preparedQuery(
                                    "UPDATE mcp_servers SET enabled = $2, disabled_tools = $3, updated_at = now() WHERE name = $1")
                            .execute(Tuple.of(name, changed.enabled(), sortedArray(changed.disabledTools())))
                            .chain(() -> versions.bump(tx))
                            .map(version -> new Write(changed, new ConfigChange(version, CHANGE_KIND, name)));
                }));
    }

    public Uni<ConfigChange> delete(String name) {
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM mcp_servers WHERE name = $1")
                .execute(Tuple.of(name))
                .chain(rows -> rows.rowCount() == 0
                        ? ProviderRepository.<Long>refuse(Reason.NOT_FOUND, notFound(name))
                        : versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, name)));
    }

    private static String notFound(String name) {
        return "no MCP server named '" + name + "'";
    }

    private static Tuple values(McpServer s) {
        return Tuple.tuple()
                .addString(s.name()).addString(s.transport()).addString(s.url())
                .addValue(new JsonObject(new TreeMap<String, Object>(s.headers()))).addString(s.command())
                .addValue(new JsonArray(new ArrayList<>(s.args())))
                .addValue(new JsonObject(new TreeMap<String, Object>(s.env()))).addBoolean(s.enabled())
                .addValue(sortedArray(s.disabledTools()))
                .addInteger(s.pollIntervalSeconds());
    }

    private static JsonArray sortedArray(Set<String> names) {
        return new JsonArray(new ArrayList<>(new TreeSet<>(names)));
    }

    private static List<McpServer> servers(RowSet<Row> rows) {
        List<McpServer> servers = new ArrayList<>(rows.size());
        rows.forEach(row -> servers.add(server(row)));
        return servers;
    }

    private static McpServer server(Row row) {
        Set<String> disabled = new HashSet<>();
        row.getJsonArray("disabled_tools").forEach(t -> disabled.add(String.valueOf(t)));
        List<String> args = new ArrayList<>();
        row.getJsonArray("args").forEach(a -> args.add(String.valueOf(a)));
        return new McpServer(row.getString("name"), row.getString("transport"), row.getString("url"),
                strings(row.getJsonObject("headers")), row.getString("command"), args, strings(row.getJsonObject("env")),
                row.getBoolean("enabled"), disabled, row.getInteger("poll_interval_seconds"));
    }

    private static Map<String, String> strings(JsonObject object) {
        Map<String, String> map = new TreeMap<>();
        object.forEach(entry -> map.put(entry.getKey(), String.valueOf(entry.getValue())));
        return map;
    }
}
