package dev.hearth.config.repository;

import dev.hearth.config.ConfigChange;
import dev.hearth.config.Device;
import dev.hearth.config.repository.ConfigWriteRefusedException.Reason;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Devices and the names they answer to. Every write is one transaction that also bumps the config
 * version and returns the change to publish once committed; a refused write fails with
 * {@link ConfigWriteRefusedException}. A device's names (friendly name and aliases) live on in
 * {@code device_names}, one row per lower-cased name, which is what keeps a name to one device.
 */
@ApplicationScoped
public class DeviceRepository {

    /** The kind of {@link ConfigChange} device writes produce. */
    public static final String CHANGE_KIND = "device";

    private static final String COLUMNS = "id, friendly_name, aliases, room, risk_class, source, created_at, updated_at";
    private static final String DEVICE_COLUMNS =
            "d.id, d.friendly_name, d.aliases, d.room, d.risk_class, d.source, d.created_at, d.updated_at";
    /** PostgreSQL's unique_violation. */
    static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final ConfigVersionRepository versions;

    public DeviceRepository(Pool pool, ConfigVersionRepository versions) {
        this.pool = pool;
        this.versions = versions;
    }

    /** A device that was written, and the config change that write produced. */
    public record Written(Device device, ConfigChange change) {
    }

    /** Every device, by friendly name. */
    public Uni<List<Device>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM devices ORDER BY lower(friendly_name), id").execute()
                .map(DeviceRepository::devices);
    }

    public Uni<Optional<Device>> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM devices WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> devices(rows).stream().findFirst());
    }

    /**
     * The device a name means: its friendly name or one of its aliases, whatever the case and
     * spacing ("Kitchen  light" finds "kitchen light").
     */
    public Uni<Optional<Device>> findByName(String name) {
        return pool.preparedQuery("SELECT " + DEVICE_COLUMNS
                        + " FROM device_names n JOIN devices d ON d.id = n.device_id WHERE n.name_key = lower($1)")
                .execute(Tuple.of(Device.normalizeName(name)))
                .map(rows -> devices(rows).stream().findFirst());
    }

    public Uni<Written> insert(Device device) {
        return write(device, tx -> tx.preparedQuery("""
                        INSERT INTO devices (id, friendly_name, aliases, room, risk_class, source)
                        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING\s""" + COLUMNS)
                .execute(values(device))
                .chain(rows -> rows.size() == 0
                        ? ProviderRepository.<Device>refuse(Reason.ALREADY_EXISTS, "a device '" + device.id()
                                + "' exists already: PUT /admin/v1/devices/" + device.id() + " replaces it")
                        : Uni.createFrom().item(device(rows.iterator().next()))));
    }

    /** Replaces every field but the id; the names it no longer has are free for other devices at once. */
    public Uni<Written> replace(Device device) {
        return write(device, tx -> tx.preparedQuery("""
                        UPDATE devices SET friendly_name = $2, aliases = $3, room = $4, risk_class = $5, source = $6,
                                           updated_at = now()
                         WHERE id = $1 RETURNING\s""" + COLUMNS)
                .execute(values(device))
                .chain(rows -> rows.size() == 0
                        ? ProviderRepository.<Device>refuse(Reason.NOT_FOUND, notFound(device.id()))
                        : Uni.createFrom().item(device(rows.iterator().next()))));
    }

    public Uni<ConfigChange> delete(String id) {
        // Its names go with it (ON DELETE CASCADE).
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM devices WHERE id = $1").execute(Tuple.of(id))
                .chain(rows -> rows.rowCount() == 0
                        ? ProviderRepository.<Long>refuse(Reason.NOT_FOUND, notFound(id))
                        : versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, id)));
    }

    private interface RowWrite {
        Uni<Device> apply(SqlConnection tx);
    }

    /** The row write, then the device's names claimed, then the version bump: all or nothing. */
    private Uni<Written> write(Device device, RowWrite row) {
        return pool.withTransaction(tx -> row.apply(tx)
                .call(stored -> claimNames(tx, stored))
                .chain(stored -> versions.bump(tx)
                        .map(v -> new Written(stored, new ConfigChange(v, CHANGE_KIND, stored.id())))))
                // Another device claimed one of these names in a transaction that committed meanwhile.
                .onFailure(DeviceRepository::isUniqueViolation)
                .transform(e -> new ConfigWriteRefusedException(Reason.ALREADY_EXISTS, "device '" + device.id()
                        + "': another device took one of its names at the same time; read the devices and retry"));
    }

    /**
     * Refuses names another device answers to (naming that device), then makes the device's
     * names exactly its friendly name and aliases.
     */
    private static Uni<Void> claimNames(SqlConnection tx, Device device) {
        String[] names = device.names().toArray(String[]::new);
        return tx.preparedQuery("""
                        SELECT wanted.name, d.id, d.friendly_name
                          FROM unnest($2::text[]) WITH ORDINALITY AS wanted (name, position)
                          JOIN device_names n ON n.name_key = lower(wanted.name)
                          JOIN devices d ON d.id = n.device_id
                         WHERE d.id <> $1
                         ORDER BY wanted.position""")
                .execute(Tuple.of(device.id(), names))
                .chain(taken -> {
                    if (taken.size() > 0) {
                        List<String> clashes = new ArrayList<>();
                        taken.forEach(r -> clashes.add("'" + r.getString(0) + "' already names device '"
                                + r.getString(1) + "' ('" + r.getString(2) + "')"));
                        return ProviderRepository.<Void>refuse(Reason.ALREADY_EXISTS, String.join("; ", clashes)
                                + ": a name (friendly name or alias, in any case) can name only one device");
                    }
                    return tx.preparedQuery("DELETE FROM device_names WHERE device_id = $1").execute(Tuple.of(device.id()))
                            .chain(() -> tx.preparedQuery("""
                                            INSERT INTO device_names (name_key, device_id)
                                            SELECT DISTINCT lower(name), $1 FROM unnest($2::text[]) AS name""")
                                    .execute(Tuple.of(device.id(), names)))
                            .replaceWithVoid();
                });
    }

    static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }

    private static String notFound(String id) {
        return "no device '" + id + "'";
    }

    private static Tuple values(Device d) {
        return Tuple.tuple().addString(d.id()).addString(d.friendlyName()).addArrayOfString(d.aliases().toArray(String[]::new))
                .addString(d.room()).addString(d.riskClass()).addString(d.source());
    }

    private static List<Device> devices(RowSet<Row> rows) {
        List<Device> devices = new ArrayList<>(rows.size());
        rows.forEach(row -> devices.add(device(row)));
        return devices;
    }

    private static Device device(Row row) {
        return new Device(row.getString("id"), row.getString("friendly_name"),
                Arrays.asList(row.getArrayOfStrings("aliases")), row.getString("room"), row.getString("risk_class"),
                row.getString("source"), UserRepository.instant(row.getOffsetDateTime("created_at")),
                UserRepository.instant(row.getOffsetDateTime("updated_at")));
    }
}
