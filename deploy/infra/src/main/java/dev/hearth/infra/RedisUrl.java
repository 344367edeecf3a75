package dev.hearth.infra;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code redis://[user:password@]host[:port][/db]} address, the form Quarkus' Redis client takes
 * ({@code rediss://} for TLS).
 */
public record RedisUrl(String host, int port, String user, String password, int database, boolean tls) {

    public static final int DEFAULT_PORT = 6379;
    public static final String DEFAULT = "redis://127.0.0.1:6379";

    public static RedisUrl parse(String url) {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not a redis:// URL: " + url);
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = parts[0].isEmpty() ? null : decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        int database = path.isEmpty() ? 0 : Integer.parseInt(path);
        return new RedisUrl(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), user, password, database,
                "rediss".equals(uri.getScheme()));
    }

    public static RedisUrl local(int port) {
        return new RedisUrl("127.0.0.1", port, null, null, 0, false);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder url = new StringBuilder(tls ? "rediss://" : "redis://");
        if (password != null) {
            url.append(user == null ? "" : user).append(':').append(password).append('@');
        }
        url.append(host).append(':').append(port);
        if (database != 0) {
            url.append('/').append(database);
        }
        return url.toString();
    }

    /** For logs: the URL with the password masked. */
    public String redacted() {
        return password == null ? toString() : toString().replace(":" + password + "@", ":***@");
    }
}
