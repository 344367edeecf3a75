package dev.hearth.infra;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens JDBC connections through the driver class directly: {@code DriverManager} only offers
 * drivers visible to the caller's class loader, which Quarkus test class loaders may not be.
 */
final class PostgresConnector {

    private static final int CONNECT_TIMEOUT_SECONDS = 3;

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    PostgresConnector(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "hearth-infra");
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl(database), props);
        if (connection == null) {
            throw new SQLException("driver refused " + jdbcUrl(database));
        }
        return connection;
    }

    /** A real login and query, not just an open port: something else may listen on 5432. */
    boolean answers() {
        if (!TcpProbe.isOpen(host, port)) {
            return false;
        }
        try (Connection c = connect("postgres"); var st = c.createStatement(); var rs = st.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException e) {
            System.getLogger(PostgresConnector.class.getName()).log(System.Logger.Level.WARNING,
                    "Port " + host + ":" + port + " is open but PostgreSQL login failed: " + e.getMessage());
            return false;
        }
    }
}
