package dev.hearth.config.tools;

import dev.hearth.proto.v1.ToolSpec;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/** {@code current_time}: the date and time now, in a time zone of the caller's choice. Models do not know it. */
@ApplicationScoped
public class CurrentTimeTool implements BuiltInTool {

    private static final ToolSpec SPEC = ToolSpec.newBuilder()
            .setName("current_time")
            .setDescription("The current date, time and weekday, optionally in a given IANA time zone.")
            .setInputSchemaJson("{\"type\":\"object\",\"properties\":{\"timezone\":" + Zones.SCHEMA + "},"
                    + "\"additionalProperties\":false}")
            .build();

    private final Clock clock = Clock.systemUTC();

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public JsonObject call(JsonObject arguments) {
        ZoneId zone = Zones.of(arguments);
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        return new JsonObject()
                .put("datetime", now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("date", now.toLocalDate().toString())
                .put("time", now.toLocalTime().withNano(0).toString())
                .put("weekday", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH))
                .put("timezone", zone.getId())
                .put("utc_offset", now.getOffset().getId());
    }
}
