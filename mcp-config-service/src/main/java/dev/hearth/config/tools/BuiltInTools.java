package dev.hearth.config.tools;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every built-in tool, by name. */
@ApplicationScoped
public class BuiltInTools {

    private final Map<String, BuiltInTool> byName = new TreeMap<>();

    public BuiltInTools(Instance<BuiltInTool> tools) {
        tools.forEach(tool -> byName.put(tool.name(), tool));
    }

    public List<BuiltInTool> all() {
        return List.copyOf(byName.values());
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public Optional<BuiltInTool> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
