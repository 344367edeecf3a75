package dev.hearth.config.mcp;

import java.util.List;
import java.util.Locale;

/**
 * The {@code Origin} values a browser may send to {@code /mcp}: exact origins
 * ({@code https://home.example:8443}) or a host with any port ({@code http://localhost:*}, which
 * also covers {@code http://localhost}). Origins are compared case-insensitively (RFC 6454 ASCII
 * serialization).
 */
public final class AllowedOrigins {

    private final List<String> exact;
    private final List<String> anyPort;

    public AllowedOrigins(List<String> allowed) {
        List<String> normalized = allowed.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.exact = normalized.stream().filter(s -> !s.endsWith(":*")).toList();
        this.anyPort = normalized.stream().filter(s -> s.endsWith(":*")).map(s -> s.substring(0, s.length() - 2)).toList();
    }

    public boolean allows(String origin) {
        String candidate = origin.trim().toLowerCase(Locale.ROOT);
        if (exact.contains(candidate)) {
            return true;
        }
        for (String host : anyPort) {
            if (candidate.equals(host)) {
                return true;
            }
            if (candidate.startsWith(host + ":") && isPort(candidate.substring(host.length() + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
