package dev.hearth.llm.provider;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

/**
 * Finds a provider's API key by the name in {@code ProviderRef.api_key_env}. Keys never
 * travel over gRPC or sit in the database: they are environment variables of this process
 * (Kubernetes Secrets mounted as env). The lookup goes through MicroProfile Config, which
 * reads environment variables and also system properties, {@code .env} and test resources:
 * that is how tests supply a key without touching the real environment.
 */
@ApplicationScoped
public class ApiKeyResolver {

    // Environment-variable-shaped names only: a dotted name like "quarkus.datasource.password"
    // would let a provider entry send some other configuration value to its base URL.
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Config config;

    public ApiKeyResolver(Config config) {
        this.config = config;
    }

    /** @return the key, or empty when the variable is not set (or blank) */
    public Optional<String> resolve(String envName) {
        if (!isValidName(envName)) {
            throw ProviderErrors.invalidArgument("provider.api_key_env '" + envName
                    + "' is not an environment variable name (letters, digits and '_')");
        }
        return config.getOptionalValue(envName, String.class).map(String::strip).filter(key -> !key.isEmpty());
    }

    public static boolean isValidName(String envName) {
        return envName != null && ENV_NAME.matcher(envName).matches();
    }
}
