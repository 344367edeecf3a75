package dev.hearth.config.tools;

import dev.hearth.proto.v1.ToolSpec;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * {@code date_difference}: days from one date to another (today when omitted) and the weekday of
 * the target, the calendar arithmetic models get wrong ("how many days until the 24th?").
 */
@ApplicationScoped
public class DateDifferenceTool implements BuiltInTool {

    private static final String DATE = "{\"type\":\"string\",\"pattern\":\"^\\\\d{4}-\\\\d{2}-\\\\d{2}$\","
            + "\"description\":\"a calendar date, YYYY-MM-DD\"}";
    private static final ToolSpec SPEC = ToolSpec.newBuilder()
            .setName("date_difference")
            .setDescription("Days from one date to another (negative when `to` is earlier) and the weekday of `to`."
                    + " `from` defaults to today in `timezone`.")
            .setInputSchemaJson("{\"type\":\"object\",\"properties\":{\"to\":" + DATE + ",\"from\":" + DATE
                    + ",\"timezone\":" + Zones.SCHEMA + "},\"required\":[\"to\"],\"additionalProperties\":false}")
            .build();

    private final Clock clock = Clock.systemUTC();

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public JsonObject call(JsonObject arguments) {
        LocalDate to = date(arguments, "to");
        if (to == null) {
            throw new IllegalArgumentException("`to` is required (YYYY-MM-DD)");
        }
        LocalDate from = date(arguments, "from");
        if (from == null) {
            from = LocalDate.now(clock.withZone(Zones.of(arguments)));
        }
        long days = ChronoUnit.DAYS.between(from, to);
        return new JsonObject()
                .put("from", from.toString())
                .put("to", to.toString())
                .put("days", days)
                .put("weeks", days / 7)
                .put("remaining_days", days % 7)
                .put("weekday_of_to", to.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    }

    private static LocalDate date(JsonObject arguments, String field) {
        Object value = arguments.getValue(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("`" + field + "` must be a date as YYYY-MM-DD, not " + value);
    }
}
