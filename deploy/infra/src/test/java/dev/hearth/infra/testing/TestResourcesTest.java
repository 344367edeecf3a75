package dev.hearth.infra.testing;

import dev.hearth.infra.RedisUrl;
import dev.hearth.infra.RespClient;
import dev.hearth.infra.TcpProbe;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test resources against whatever this machine offers: the real servers where they run,
 * embedded ones where not. Either way each call isolates and cleans up after itself.
 */
class TestResourcesTest {

    @Test
    void postgresResourceGivesEachClassItsOwnDatabaseAndDropsIt() throws Exception {
        PostgresTestResource first = new PostgresTestResource();
        PostgresTestResource second = new PostgresTestResource();
        Map<String, String> a = first.start();
        Map<String, String> b = second.start();
        try {
            assertNotEquals(a.get("hearth.db.name"), b.get("hearth.db.name"));
            assertTrue(a.get("hearth.db.name").startsWith("hearth_t_"));
            assertEquals(a.get("hearth.db.port"), b.get("hearth.db.port"), "one shared server per JVM");
            try (Connection c = SharedInfra.postgres().connect(a.get("hearth.db.name"));
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_database()")) {
                assertTrue(rs.next());
                assertEquals(a.get("hearth.db.name"), rs.getString(1));
            }
        } finally {
            first.stop();
            second.stop();
        }
        assertFalse(databaseExists(a.get("hearth.db.name")));
        assertFalse(databaseExists(b.get("hearth.db.name")));
    }

    @Test
    void redisResourceDeletesItsPrefixOnly() throws Exception {
        RedisTestResource resource = new RedisTestResource();
        Map<String, String> config = resource.start();
        String prefix = config.get("hearth.redis.prefix");
        String neighbour = UniqueNames.redisPrefix() + "stays";
        RedisUrl url = RedisUrl.parse(config.get("hearth.redis.url"));
        try (RespClient redis = RespClient.connect(url)) {
            redis.call("SET", prefix + "a", "1");
            redis.call("SET", neighbour, "1");
            resource.stop();
            assertEquals(0L, redis.call("EXISTS", prefix + "a"));
            assertEquals(1L, redis.call("EXISTS", neighbour));
            redis.call("DEL", neighbour);
        }
    }

    @Test
    void mqttResourcePointsAtALiveBrokerWithAUniqueTopic() {
        Map<String, String> a = new MqttTestResource().start();
        Map<String, String> b = new MqttTestResource().start();
        assertTrue(TcpProbe.isOpen(a.get("hearth.mqtt.host"), Integer.parseInt(a.get("hearth.mqtt.port"))));
        assertTrue(a.get("hearth.zigbee.base-topic").endsWith("/zigbee2mqtt"));
        assertNotEquals(a.get("hearth.zigbee.base-topic"), b.get("hearth.zigbee.base-topic"));
    }

    private static boolean databaseExists(String name) throws Exception {
        try (Connection c = SharedInfra.postgres().connect("postgres");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
