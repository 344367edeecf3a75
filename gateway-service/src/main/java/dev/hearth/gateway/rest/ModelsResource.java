package dev.hearth.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /v1/models}: the profiles, as OpenAI models. Profiles carry no creation time, so
 * {@code created} is 0 (unknown) rather than an invented date.
 */
@Path("/v1/models")
public class ModelsResource {

    private final ProfileCatalog profiles;
    private final ObjectMapper json;

    public ModelsResource(ProfileCatalog profiles, ObjectMapper json) {
        this.profiles = profiles;
        this.json = json;
    }

    @GET
    public Uni<Response> list() {
        return profiles.profiles().map(all -> {
            ObjectNode body = json.createObjectNode().put("object", "list");
            ArrayNode data = body.putArray("data");
            all.forEach(profile -> data.addObject()
                    .put("id", profile.getName())
                    .put("object", "model")
                    .put("created", 0)
                    .put("owned_by", "hearth"));
            return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).build();
        }).onFailure().recoverWithItem(failure -> OpenAiErrors.of(failure).response(json));
    }
}
