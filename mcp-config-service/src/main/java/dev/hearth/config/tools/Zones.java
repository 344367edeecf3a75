package dev.hearth.config.tools;

import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.ZoneId;

/** The optional {@code timezone} argument the built-in tools share. */
final class Zones {

    static final String SCHEMA = "{\"type\":\"string\",\"description\":"
            + "\"IANA time zone, e.g. Europe/Paris or America/New_York; the server's own when omitted\"}";

    private Zones() {
    }

    static ZoneId of(JsonObject arguments) {
        Object value = arguments.getValue("timezone");
        if (value == null) {
            return ZoneId.systemDefault();
        }
        if (!(value instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("timezone must be an IANA time zone name such as Europe/Paris");
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + name + "': use an IANA name such as Europe/Paris");
        }
    }
}
