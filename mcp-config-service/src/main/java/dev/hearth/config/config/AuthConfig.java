package dev.hearth.config.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** API keys. */
@ConfigMapping(prefix = "hearth.auth")
public interface AuthConfig {

    /**
     * An admin key to make sure of at startup ({@code HEARTH_BOOTSTRAP_API_KEY}; deploy/hearth
     * generates one). Its hash is stored the first time it is seen; without it, a key is generated
     * and logged once when no usable admin key exists.
     */
    Optional<String> bootstrapKey();
}
