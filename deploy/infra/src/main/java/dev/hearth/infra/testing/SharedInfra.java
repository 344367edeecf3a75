package dev.hearth.infra.testing;

import dev.hearth.infra.MqttBroker;
import dev.hearth.infra.MqttSettings;
import dev.hearth.infra.Postgres;
import dev.hearth.infra.PostgresSettings;
import dev.hearth.infra.Redis;
import dev.hearth.infra.RedisUrl;

import java.util.ArrayList;
import java.util.List;

/**
 * One PostgreSQL, Redis and MQTT broker per test JVM, found or started on first use and stopped
 * by a shutdown hook, so many test classes do not start many servers.
 *
 * <p>Quarkus may load test resources in several class loaders, each with its own statics. An
 * embedded server's address is therefore also published as a system property (JVM-wide); a
 * later class loader looks there first and finds the server instead of starting another.
 */
public final class SharedInfra {

    static final String POSTGRES_PORT_PROPERTY = "dev.hearth.infra.shared.postgres-port";
    static final String REDIS_URL_PROPERTY = "dev.hearth.infra.shared.redis-url";
    static final String MQTT_PORT_PROPERTY = "dev.hearth.infra.shared.mqtt-port";

    private static final List<AutoCloseable> OWNED = new ArrayList<>();
    private static Postgres postgres;
    private static Redis redis;
    private static MqttBroker mqtt;
    private static boolean hookRegistered;

    private SharedInfra() {
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            PostgresSettings settings = PostgresSettings.fromEnv(System.getenv());
            String sharedPort = System.getProperty(POSTGRES_PORT_PROPERTY);
            if (sharedPort != null) {
                settings = new PostgresSettings("127.0.0.1", Integer.parseInt(sharedPort), "postgres", "", null, null);
            }
            postgres = own(Postgres.findOrStart(settings), postgres -> postgres.endpoint().owned());
            if (postgres.endpoint().owned()) {
                System.setProperty(POSTGRES_PORT_PROPERTY, String.valueOf(postgres.endpoint().port()));
            }
        }
        return postgres;
    }

    public static synchronized Redis redis() {
        if (redis == null) {
            String shared = System.getProperty(REDIS_URL_PROPERTY);
            RedisUrl url = shared != null ? RedisUrl.parse(shared) : Redis.urlFromEnv(System.getenv());
            redis = own(Redis.findOrStart(url), r -> r.endpoint().owned());
            if (redis.endpoint().owned()) {
                System.setProperty(REDIS_URL_PROPERTY, redis.url().toString());
            }
        }
        return redis;
    }

    public static synchronized MqttBroker mqtt() {
        if (mqtt == null) {
            MqttSettings settings = MqttSettings.fromEnv(System.getenv());
            String sharedPort = System.getProperty(MQTT_PORT_PROPERTY);
            if (sharedPort != null) {
                settings = new MqttSettings("127.0.0.1", Integer.parseInt(sharedPort), null, null);
            }
            mqtt = own(MqttBroker.findOrStart(settings), m -> m.endpoint().owned());
            if (mqtt.endpoint().owned()) {
                System.setProperty(MQTT_PORT_PROPERTY, String.valueOf(mqtt.endpoint().port()));
            }
        }
        return mqtt;
    }

    private static <T extends AutoCloseable> T own(T server, java.util.function.Predicate<T> owned) {
        if (owned.test(server)) {
            OWNED.add(server);
            if (!hookRegistered) {
                Runtime.getRuntime().addShutdownHook(new Thread(SharedInfra::closeOwned, "hearth-shared-infra-stop"));
                hookRegistered = true;
            }
        }
        return server;
    }

    private static synchronized void closeOwned() {
        for (int i = OWNED.size() - 1; i >= 0; i--) {
            try {
                OWNED.get(i).close();
            } catch (Exception e) {
                System.getLogger(SharedInfra.class.getName())
                        .log(System.Logger.Level.WARNING, "Could not stop " + OWNED.get(i), e);
            }
        }
        OWNED.clear();
    }
}
