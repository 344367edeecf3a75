package dev.hearth.gateway.security;

import dev.hearth.gateway.config.SecurityConfig;
import io.vertx.core.net.HostAndPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a WebSocket (a page from anywhere else could otherwise use the
 * visitor's network position, cross-site WebSocket hijacking). Allowed: no {@code Origin} header
 * (not a browser), the gateway's own host and port, the configured list, or anything with {@code *}.
 */
@ApplicationScoped
public class OriginPolicy {

    private final boolean any;
    private final Set<String> allowed;

    public OriginPolicy(SecurityConfig config) {
        List<String> list = config.allowedOrigins().orElse(List.of());
        this.any = list.stream().anyMatch(o -> o.trim().equals("*"));
        this.allowed = list.stream().map(OriginPolicy::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /** @param authority the request's host and port, as the client addressed the gateway */
    public boolean allows(String origin, HostAndPort authority) {
        if (origin == null || any || allowed.contains(normalize(origin))) {
            return true;
        }
        return sameHost(origin, authority);
    }

    private static boolean sameHost(String origin, HostAndPort authority) {
        if (authority == null) {
            return false;
        }
        try {
            URI uri = new URI(origin.trim());
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false; // e.g. "null" from a sandboxed page or a file
            }
            int port = uri.getPort() > 0 ? uri.getPort() : defaultPort(uri.getScheme());
            int requestPort = authority.port() > 0 ? authority.port() : defaultPort(uri.getScheme());
            return stripBrackets(uri.getHost()).equalsIgnoreCase(stripBrackets(authority.host())) && port == requestPort;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int defaultPort(String scheme) {
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> 443;
            default -> 80;
        };
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
