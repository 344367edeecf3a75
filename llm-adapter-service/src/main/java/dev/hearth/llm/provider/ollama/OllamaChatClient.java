package dev.hearth.llm.provider.ollama;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.common.util.RestMediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;

/**
 * Ollama's native chat endpoint. Built per base URL by {@link OllamaChatClients}; error answers
 * fail the stream with an {@code UpstreamHttpException} ({@code UpstreamErrorMapper}).
 */
@Path("/api/chat")
public interface OllamaChatClient {

    /**
     * Streams the lines of the NDJSON answer, one item per line. The REST client cuts an
     * {@code application/x-ndjson} body with Vert.x's {@code RecordParser} on {@code \n} and
     * decodes each whole line, so a line (or a UTF-8 character) split across TCP reads arrives
     * whole; empty lines are skipped. A {@code null} authorization sends no header.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(RestMediaType.APPLICATION_NDJSON)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    Multi<String> streamChat(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, JsonNode body);
}
