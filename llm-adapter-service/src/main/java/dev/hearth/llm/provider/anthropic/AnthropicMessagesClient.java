package dev.hearth.llm.provider.anthropic;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;

/**
 * Anthropic's Messages endpoint, {@code POST {base}/v1/messages}. Built per base URL by
 * {@link AnthropicMessagesClients}; error answers fail the stream with an
 * {@link dev.hearth.llm.client.UpstreamHttpException}.
 */
@Path("/v1/messages")
public interface AnthropicMessagesClient {

    /**
     * Streams the {@code data:} payloads of the SSE answer, one item per event. Every Anthropic
     * event repeats its {@code event:} name as the {@code type} of its data, so the data is enough.
     * A null header value sends no header.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    Multi<String> streamMessage(@HeaderParam("x-api-key") String apiKey,
            @HeaderParam("anthropic-version") String version,
            @HeaderParam("anthropic-beta") String beta,
            JsonNode body);
}
