package dev.hearth.config.mcp;

import dev.hearth.config.ProfileDefinition;
import dev.hearth.config.ProfileDefinition.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A profile as MCP clients see it: what it is for, its provider chain (provider and model names)
 * and allowed tools. Never a secret, nor where providers live or which variable holds their key,
 * nor the system prompt (an operator's, not the caller's).
 */
final class ProfileView {

    static final String MIME_TYPE = "application/json";

    private ProfileView() {
    }

    static String uri(String name) {
        return "hearth://profiles/" + name;
    }

    static JsonObject json(ProfileDefinition profile) {
        JsonArray chain = new JsonArray();
        profile.targets().forEach(t -> chain.add(new JsonObject().put("provider", t.provider()).put("model", t.model())));
        return new JsonObject()
                .put("name", profile.name())
                .put("uri", uri(profile.name()))
                .put("description", profile.description())
                .put("is_default", profile.isDefault())
                .put("chain", chain)
                .put("allowed_tools", new JsonArray(new ArrayList<>(profile.allowedTools())))
                .put("params", params(profile.params()));
    }

    static JsonObject list(List<ProfileDefinition> profiles) {
        JsonArray all = new JsonArray();
        profiles.forEach(p -> all.add(json(p)));
        return new JsonObject().put("count", profiles.size()).put("profiles", all);
    }

    private static JsonObject params(Params params) {
        JsonObject json = new JsonObject();
        if (params.temperature() != null) {
            json.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            json.put("top_p", params.topP());
        }
        if (params.maxTokens() != null) {
            json.put("max_tokens", params.maxTokens());
        }
        if (!params.stop().isEmpty()) {
            json.put("stop", new JsonArray(new ArrayList<>(params.stop())));
        }
        return json;
    }
}
