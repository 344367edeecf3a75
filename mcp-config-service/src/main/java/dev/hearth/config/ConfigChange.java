package dev.hearth.config;

/**
 * What a config write changed: published on Redis after the write commits. {@code version} is the
 * global config version the write produced; subscribers that see a gap resync.
 */
public record ConfigChange(long version, String kind, String id) {

    public String toJson() {
        return new io.vertx.core.json.JsonObject()
                .put("version", version)
                .put("kind", kind)
                .put("id", id)
                .encode();
    }
}
