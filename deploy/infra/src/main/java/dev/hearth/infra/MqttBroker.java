package dev.hearth.infra;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * An MQTT broker: the one configured if it accepts connections, else Moquette in this JVM
 * (anonymous, loopback only, in memory) that this object owns and stops on {@link #close()}.
 */
public final class MqttBroker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MqttBroker.class.getName());
    private static final String EMBEDDED_HOST = "127.0.0.1";
    // Zigbee2MQTT publishes device lists of tens of KB; Moquette's default cap is 8 KB.
    private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    private static final String TELEMETRY_ENABLED = "telemetry_enabled"; // no BrokerConstants entry in 0.17

    private final Endpoint endpoint;
    private final MqttSettings settings;
    private final Server embedded;

    private MqttBroker(Endpoint endpoint, MqttSettings settings, Server embedded) {
        this.endpoint = endpoint;
        this.settings = settings;
        this.embedded = embedded;
    }

    public static MqttBroker findOrStart(MqttSettings settings) {
        if (TcpProbe.isOpen(settings.host(), settings.port())) {
            LOG.log(System.Logger.Level.INFO, "Using MQTT broker at " + settings.host() + ":" + settings.port());
            return new MqttBroker(new Endpoint(settings.host(), settings.port(), false), settings, null);
        }
        int port = FreePorts.preferring(EMBEDDED_HOST, settings.port());
        Properties props = new Properties();
        props.setProperty(BrokerConstants.HOST_PROPERTY_NAME, EMBEDDED_HOST);
        props.setProperty(BrokerConstants.PORT_PROPERTY_NAME, String.valueOf(port));
        props.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        props.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        props.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        props.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, String.valueOf(MAX_MESSAGE_BYTES));
        // On by default in 0.17: it calls home (telemetry.moquette.io) and writes data/.moquette_uuid in the cwd.
        props.setProperty(TELEMETRY_ENABLED, "false");
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(props));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded MQTT broker on port " + port, e);
        }
        LOG.log(System.Logger.Level.INFO, "Started embedded MQTT broker (Moquette) on " + EMBEDDED_HOST + ":" + port);
        // Anonymous broker: credentials from the environment would only be refused by nobody, drop them.
        return new MqttBroker(new Endpoint(EMBEDDED_HOST, port, true),
                new MqttSettings(EMBEDDED_HOST, port, null, null), server);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Credentials clients should use (null when none). */
    public String username() {
        return settings.username();
    }

    public String password() {
        return settings.password();
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.stopServer();
        }
    }

    @Override
    public String toString() {
        return "MQTT broker " + endpoint;
    }
}
