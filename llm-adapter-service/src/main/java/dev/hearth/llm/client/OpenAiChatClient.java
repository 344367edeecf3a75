package dev.hearth.llm.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;

/**
 * The chat completions endpoint every OpenAI-compatible server speaks (OpenAI, OpenRouter,
 * Ollama, vLLM, llama.cpp, LM Studio). Built per base URL by {@link OpenAiChatClients}; error
 * answers fail the stream with an {@link UpstreamHttpException} ({@link UpstreamErrorMapper}).
 */
@Path("/chat/completions")
public interface OpenAiChatClient {

    /**
     * Streams the {@code data:} payloads of the SSE answer, one item per event, {@code [DONE]}
     * included. A {@code null} authorization sends no header (local servers need none).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    Multi<String> streamChatCompletion(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, JsonNode body);
}
