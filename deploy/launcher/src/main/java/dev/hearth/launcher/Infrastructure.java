package dev.hearth.launcher;

import dev.hearth.infra.MqttBroker;
import dev.hearth.infra.MqttSettings;
import dev.hearth.infra.Postgres;
import dev.hearth.infra.PostgresSettings;
import dev.hearth.infra.Redis;
import dev.hearth.infra.RedisKeys;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** PostgreSQL (with the suite's database), Redis and MQTT for one suite; stops what it started. */
public final class Infrastructure implements AutoCloseable {

    private final Postgres postgres;
    private final Redis redis;
    private final MqttBroker mqtt;
    private final String databaseName;
    private final String redisPrefix;
    private final boolean cleanUpOnClose;

    private Infrastructure(Postgres postgres, Redis redis, MqttBroker mqtt, SuiteConfig config) {
        this.postgres = postgres;
        this.redis = redis;
        this.mqtt = mqtt;
        this.databaseName = config.databaseName();
        this.redisPrefix = config.redisPrefix();
        this.cleanUpOnClose = config.cleanUpOnClose();
    }

    public static Infrastructure start(SuiteConfig config) {
        PostgresSettings pgSettings = PostgresSettings.fromEnv(config.environment())
                .withLogFile(config.logFile("postgres"));
        if (config.persistentPostgres()) {
            pgSettings = pgSettings.withDataDirectory(config.dataDir().resolve("postgres"));
        }
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Postgres postgres = Postgres.findOrStart(pgSettings);
            started.add(postgres);
            postgres.createDatabaseIfMissing(config.databaseName());
            Redis redis = Redis.findOrStart(Redis.urlFromEnv(config.environment()));
            started.add(redis);
            MqttBroker mqtt = MqttBroker.findOrStart(MqttSettings.fromEnv(config.environment()));
            return new Infrastructure(postgres, redis, mqtt, config);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    public Postgres postgres() {
        return postgres;
    }

    public Redis redis() {
        return redis;
    }

    public MqttBroker mqtt() {
        return mqtt;
    }

    public String databaseName() {
        return databaseName;
    }

    /** Pids of embedded servers that run as their own processes (Moquette runs inside this JVM). */
    public List<Long> embeddedPids() {
        List<Long> pids = new ArrayList<>();
        redis.embeddedPid().ifPresent(pids::add);
        postgres.embeddedPid().ifPresent(pids::add);
        return pids;
    }

    @Override
    public void close() {
        if (cleanUpOnClose) {
            cleanUp();
        }
        closeAll(List.of(postgres, redis, mqtt));
    }

    private void cleanUp() {
        System.Logger log = System.getLogger(Infrastructure.class.getName());
        try {
            postgres.dropDatabase(databaseName);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "Could not drop database " + databaseName, e);
        }
        if (redisPrefix != null) {
            try {
                RedisKeys.deleteByPrefix(redis.url(), redisPrefix);
            } catch (IOException e) {
                log.log(System.Logger.Level.WARNING, "Could not delete Redis keys under " + redisPrefix, e);
            }
        }
    }

    private static void closeAll(List<AutoCloseable> servers) {
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).close();
            } catch (Exception e) {
                System.getLogger(Infrastructure.class.getName())
                        .log(System.Logger.Level.WARNING, "Could not stop " + servers.get(i), e);
            }
        }
    }
}
