package dev.hearth.config.mcp;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** The {@code {name}} of a resource URI, percent-decoded: device names may hold spaces or slashes. */
final class ResourceNames {

    private ResourceNames() {
    }

    static String decode(String name) {
        try {
            // URLDecoder is for forms, where '+' is a space; in a URI it is a plus.
            return URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    static String encode(String name) {
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
