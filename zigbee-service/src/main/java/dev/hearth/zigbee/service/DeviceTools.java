package dev.hearth.zigbee.service;

import dev.hearth.proto.v1.ToolSpec;
import dev.hearth.zigbee.ZigbeeDevice;
import dev.hearth.zigbee.client.HomeDirectory;
import dev.hearth.zigbee.expose.ExposeSchema;
import dev.hearth.zigbee.expose.Exposes;
import dev.hearth.zigbee.expose.InvalidStateException;
import dev.hearth.zigbee.expose.RiskClass;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every device a model can read or control, as one tool each: a name slugged from the friendly name,
 * a description a model can act on, and the JSON Schema of its writable exposes. Calling a tool with
 * no arguments reads the device; with arguments it runs the same confirmed command as SetState and
 * answers with the outcome. The catalog is rebuilt only when the registry's revision moves.
 */
@ApplicationScoped
public class DeviceTools {

    static final int MAX_NAME = 48;

    /** A tool and the device it stands for (by IEEE address: names may change under it). */
    public record DeviceTool(String name, String ieeeAddress, ToolSpec spec) {
    }

    /** The tools at one registry revision. */
    public record Catalog(long revision, List<DeviceTool> tools, Map<String, DeviceTool> byName,
            Map<String, String> nameByIeee) {
    }

    /** What a call answers: the result JSON and whether it is a failure the model should see. */
    public record CallResult(JsonObject result, boolean error) {
    }

    private final DeviceRegistry registry;
    private final DeviceCommands commands;
    private final Function<ZigbeeDevice, Optional<String>> rooms;
    private volatile Catalog catalog = new Catalog(-1, List.of(), Map.of(), Map.of());

    public DeviceTools(DeviceRegistry registry, DeviceCommands commands, HomeDirectory directory) {
        this.registry = registry;
        this.commands = commands;
        this.rooms = device -> directory.room(device.ieeeAddress());
    }

    public Catalog catalog() {
        Catalog current = catalog;
        long revision = registry.revision();
        if (current.revision() == revision) {
            return current;
        }
        synchronized (this) {
            if (catalog.revision() != revision) {
                catalog = build(revision, registry.devices(), commands::needsConfirmation, commands::riskClass, rooms);
            }
            return catalog;
        }
    }

    public Optional<String> toolName(ZigbeeDevice device) {
        return Optional.ofNullable(catalog().nameByIeee().get(device.ieeeAddress().toLowerCase(Locale.ROOT)));
    }

    /** Fails with {@link CommandRefused} NOT_FOUND for an unknown tool. */
    public Uni<CallResult> call(String toolName, String argumentsJson) {
        return Uni.createFrom().deferred(() -> {
            DeviceTool tool = catalog().byName().get(toolName);
            ZigbeeDevice device = tool == null ? null : registry.find(tool.ieeeAddress()).orElse(null);
            if (device == null) {
                throw new CommandRefused(CommandRefused.Reason.NOT_FOUND, "no device tool named '" + toolName + "'");
            }
            JsonObject arguments;
            try {
                arguments = argumentsJson == null || argumentsJson.isBlank() ? new JsonObject()
                        : new JsonObject(argumentsJson);
            } catch (DecodeException | ClassCastException e) {
                return Uni.createFrom().item(error(InvalidStateException.INVALID_ARGUMENTS,
                        "the arguments must be a JSON object"));
            }
            Object confirm = arguments.remove(ExposeSchema.CONFIRM);
            if (confirm != null && !(confirm instanceof Boolean)) {
                return Uni.createFrom().item(error(InvalidStateException.INVALID_ARGUMENTS,
                        "`confirm` must be true or false"));
            }
            if (arguments.isEmpty()) {
                JsonObject read = new JsonObject().put("device", device.friendlyName()).put("state", device.state());
                if (device.available() != null) {
                    read.put("available", device.available());
                }
                return Uni.createFrom().item(new CallResult(read, false));
            }
            return commands.setState(device.ieeeAddress(), arguments, Boolean.TRUE.equals(confirm), Duration.ZERO)
                    .map(DeviceTools::result)
                    .onFailure(InvalidStateException.class).recoverWithItem(f -> error(((InvalidStateException) f).code(),
                            f.getMessage()))
                    .onFailure(CommandRefused.class).recoverWithItem(f -> error(((CommandRefused) f).reason().code(),
                            f.getMessage()));
        });
    }

    private static CallResult result(CommandReport report) {
        JsonObject result = new JsonObject().put("device", report.device()).put("outcome", report.outcome().id())
                .put("state", report.state()).put("message", report.message());
        if (report.outcome() == CommandReport.Outcome.TIMEOUT) {
            result.put("error", new JsonObject().put("code", "not_confirmed").put("message", report.message()));
            return new CallResult(result, true);
        }
        return new CallResult(result, false);
    }

    private static CallResult error(String code, String message) {
        return new CallResult(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)),
                true);
    }

    static Catalog build(long revision, List<ZigbeeDevice> devices, Predicate<ZigbeeDevice> needsConfirm,
            Function<ZigbeeDevice, String> riskClass, Function<ZigbeeDevice, Optional<String>> rooms) {
        List<ZigbeeDevice> usable = devices.stream()
                .filter(d -> !d.isCoordinator() && !Exposes.properties(d.exposes()).isEmpty())
                .sorted(Comparator.comparing(d -> d.ieeeAddress().toLowerCase(Locale.ROOT)))
                .toList();
        Map<String, Integer> counts = new HashMap<>();
        usable.forEach(d -> counts.merge(slug(d.friendlyName()), 1, Integer::sum));
        List<DeviceTool> tools = new ArrayList<>();
        Map<String, DeviceTool> byName = new LinkedHashMap<>();
        Map<String, String> nameByIeee = new HashMap<>();
        for (ZigbeeDevice device : usable) {
            String base = slug(device.friendlyName());
            String name = counts.get(base) > 1 || byName.containsKey(base) ? withSuffix(base, device.ieeeAddress())
                    : base;
            for (int n = 2; byName.containsKey(name); n++) {
                name = withSuffix(base, device.ieeeAddress() + n);
            }
            DeviceTool tool = new DeviceTool(name, device.ieeeAddress().toLowerCase(Locale.ROOT), spec(name, device, needsConfirm.test(device), riskClass.apply(device),
                    rooms.apply(device).orElse("")));
            tools.add(tool);
            byName.put(name, tool);
            nameByIeee.put(tool.ieeeAddress(), name);
        }
        return new Catalog(revision, List.copyOf(tools), Map.copyOf(byName), Map.copyOf(nameByIeee));
    }

    /** {@code [a-z0-9_]}, at most 48 characters, never empty. */
    static String slug(String friendlyName) {
        String slug = friendlyName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (slug.isEmpty()) {
            slug = "device";
        }
        return slug.length() > MAX_NAME ? slug.substring(0, MAX_NAME).replaceAll("_+$", "") : slug;
    }

    private static String withSuffix(String base, String ieee) {
        String hex = ieee.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String suffix = "_" + hex.substring(Math.max(0, hex.length() - 4));
        String head = base.length() + suffix.length() > MAX_NAME ? base.substring(0, MAX_NAME - suffix.length()) : base;
        return head + suffix;
    }

    private static ToolSpec spec(String name, ZigbeeDevice device, boolean confirm, String risk, String room) {
        JsonObject schema = ExposeSchema.inputSchema(device.exposes(), confirm);
        return ToolSpec.newBuilder().setName(name).setDescription(describe(device, risk, confirm, room))
                .setInputSchemaJson(schema.encode()).build();
    }

    static String describe(ZigbeeDevice device, String risk, boolean confirm, String room) {
        List<String> settable = new ArrayList<>();
        List<String> reported = new ArrayList<>();
        Exposes.properties(device.exposes()).forEach((property, expose) -> {
            if (Exposes.writable(expose)) {
                settable.add(ExposeSchema.summary(expose));
            } else {
                reported.add(ExposeSchema.summary(expose));
            }
        });
        StringBuilder out = new StringBuilder("Zigbee device '").append(device.friendlyName()).append("'");
        String what = (device.vendor() + " " + device.model()).strip();
        if (!what.isEmpty()) {
            out.append(", ").append(what);
            if (!device.description().isBlank()) {
                out.append(" (").append(device.description()).append(')');
            }
        }
        out.append(": a ").append(kind(device, settable.isEmpty()));
        if (!room.isBlank()) {
            out.append(" in the room '").append(room).append('\'');
        }
        out.append('.');
        if (!settable.isEmpty()) {
            out.append(" Can set: ").append(String.join(", ", settable)).append('.');
        }
        if (!reported.isEmpty()) {
            out.append(" Reports: ").append(String.join(", ", reported)).append('.');
        }
        out.append(settable.isEmpty() ? " Call it with no arguments to read its current state."
                : " Call it with no arguments to read its current state, or with the properties to change; the result"
                        + " says whether the device confirmed the change.");
        if (confirm && !settable.isEmpty()) {
            out.append(" This is a ").append(risk).append(" device: changing it needs \"confirm\": true, which"
                    + " you may only send after the user explicitly agreed to this exact change.");
        }
        return out.toString();
    }

    private static String kind(ZigbeeDevice device, boolean readOnly) {
        for (String type : new String[] {"lock", "cover", "climate", "light", "fan", "switch"}) {
            if (Exposes.hasType(device.exposes(), type)) {
                return switch (type) {
                    case "climate" -> "thermostat (climate)";
                    case "cover" -> "cover (blind, shade or garage door)";
                    default -> type;
                };
            }
        }
        if (RiskClass.of(device.exposes()) == RiskClass.ALARM) {
            return "siren / warning device";
        }
        return readOnly ? "sensor (read-only)" : "device";
    }
}
