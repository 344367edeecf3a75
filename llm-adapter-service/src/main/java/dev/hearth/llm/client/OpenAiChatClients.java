package dev.hearth.llm.client;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.hearth.llm.config.LlmAdapterConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * One REST client per provider base URL, built on first use and kept: providers come from
 * configuration at runtime, so they cannot be declared as {@code @RegisterRestClient}s, and
 * a client per call would throw away its connection pool.
 */
@ApplicationScoped
public class OpenAiChatClients {

    private static final Logger LOG = Logger.getLogger(OpenAiChatClients.class);

    private final LlmAdapterConfig.Upstream upstream;
    private final ConcurrentMap<URI, OpenAiChatClient> clients = new ConcurrentHashMap<>();

    public OpenAiChatClients(LlmAdapterConfig config) {
        this.upstream = config.upstream();
    }

    /** @param baseUri the provider's API root, e.g. {@code https://api.openai.com/v1}, without a trailing slash */
    public OpenAiChatClient forBaseUri(URI baseUri) {
        return clients.computeIfAbsent(baseUri, this::build);
    }

    private OpenAiChatClient build(URI baseUri) {
        LOG.debugf("Creating an OpenAI-compatible client for %s", baseUri);
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(upstream.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // Vert.x applies this until the response headers arrive only; silence inside
                // the SSE body is bounded by the dialect (Mutiny ifNoItem between events).
                .readTimeout(upstream.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .property(org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties.CONNECTION_POOL_SIZE,
                        upstream.maxConnections())
                .register(new UpstreamErrorMapper())
                .build(OpenAiChatClient.class);
    }

    @PreDestroy
    void closeAll() {
        clients.values().forEach(client -> {
            if (client instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.debug("Closing a REST client failed", e);
                }
            }
        });
        clients.clear();
    }
}
