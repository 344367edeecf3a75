package dev.hearth.llm.provider;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

/** The dialects this adapter speaks, by name. Adding a dialect is adding a bean. */
@ApplicationScoped
public class ProviderDialects {

    private final Map<String, ProviderDialect> byName = new TreeMap<>();

    public ProviderDialects(@Any Instance<ProviderDialect> dialects) {
        for (ProviderDialect dialect : dialects) {
            ProviderDialect clash = byName.put(dialect.name(), dialect);
            if (clash != null) {
                throw new IllegalStateException("Two dialects are named '" + dialect.name() + "': "
                        + clash.getClass().getName() + " and " + dialect.getClass().getName());
            }
        }
    }

    /** Case-insensitive: configuration written by hand says "OpenAI" as often as "openai". */
    public Optional<ProviderDialect> find(String name) {
        return Optional.ofNullable(byName.get(name.strip().toLowerCase(Locale.ROOT)));
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }
}
