package dev.hearth.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;

/**
 * The users and devices side of "nothing was written": those tables (and the key and conversation
 * rows that hang on users) as one string, next to {@link ConfigWriteProbe}'s config tables.
 */
public final class UserAndDeviceTables {

    // last_used_at is left out: verifying the admin key of each request may refresh it.
    private static final String SNAPSHOT = """
            SELECT json_build_object(
                'users', (SELECT json_agg(u ORDER BY u.id) FROM users u),
                'devices', (SELECT json_agg(d ORDER BY d.id) FROM devices d),
                'device_names', (SELECT json_agg(n ORDER BY n.name_key) FROM device_names n),
                'api_keys', (SELECT json_agg(json_build_array(k.id, k.user_id, k.revoked_at, k.expires_at) ORDER BY k.id)
                               FROM api_keys k),
                'conversations', (SELECT json_agg(c ORDER BY c.id) FROM conversations c))::text""";

    private final Pool pool;
    private final ConfigWriteProbe probe;

    public UserAndDeviceTables(Pool pool, ConfigWriteProbe probe) {
        this.pool = pool;
        this.probe = probe;
    }

    /** Every config table, the version, users, devices and their names, keys and conversations. */
    public String snapshot() {
        return probe.snapshot() + pool.query(SNAPSHOT).execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
    }

    /** Nothing changed since {@code before} (a {@link #snapshot()}), the version included, and nothing was announced. */
    public void assertNothingWritten(String before) {
        assertThat(snapshot()).isEqualTo(before);
        assertThat(probe.changes()).isEmpty();
    }
}
