package dev.hearth.router.service;

import dev.hearth.proto.v1.ToolSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools a turn may use, by name, each with its compiled argument schema. */
public final class ToolSet {

    public static final ToolSet NONE = new ToolSet(List.of());

    private final Map<String, ToolArguments> byName = new LinkedHashMap<>();

    ToolSet(Collection<ToolArguments> tools) {
        tools.forEach(t -> byName.put(t.spec().getName(), t));
    }

    public List<ToolSpec> specs() {
        return byName.values().stream().map(ToolArguments::spec).toList();
    }

    public Optional<ToolArguments> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
