package dev.hearth.llm.provider.gemini;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;

/**
 * Gemini's streaming endpoint, {@code POST {base}/models/{model}:streamGenerateContent?alt=sse}.
 * Built per base URL by {@link GeminiClients}; error answers fail the stream with an
 * {@link dev.hearth.llm.client.UpstreamHttpException}.
 */
@Path("/models")
public interface GeminiClient {

    /** {@code alt=sse}: without it Gemini streams one JSON array instead of server-sent events. */
    String SSE = "sse";

    /**
     * Streams the {@code data:} payloads, one {@code GenerateContentResponse} JSON per item. A
     * {@code null} key sends no header (a proxy that adds the key itself).
     */
    @POST
    @Path("/{model}:streamGenerateContent")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    Multi<String> streamGenerateContent(@PathParam("model") String model, @QueryParam("alt") String alt,
            @HeaderParam("x-goog-api-key") String apiKey, JsonNode body);
}
