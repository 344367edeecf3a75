package dev.hearth.llm.provider.gemini;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import dev.hearth.llm.client.UpstreamErrorMapper;
import dev.hearth.llm.config.LlmAdapterConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * One {@link GeminiClient} per API root, built on first use and kept (its connection pool with it),
 * as {@code OpenAiChatClients} does for the openai dialect.
 */
@ApplicationScoped
public class GeminiClients {

    private static final Logger LOG = Logger.getLogger(GeminiClients.class);

    private final LlmAdapterConfig.Upstream upstream;
    private final ConcurrentMap<URI, GeminiClient> clients = new ConcurrentHashMap<>();

    public GeminiClients(LlmAdapterConfig config) {
        this.upstream = config.upstream();
    }

    /** @param baseUri the API root, e.g. {@code https://generativelanguage.googleapis.com/v1beta}, no trailing slash */
    public GeminiClient forBaseUri(URI baseUri) {
        return clients.computeIfAbsent(baseUri, this::build);
    }

    private GeminiClient build(URI baseUri) {
        LOG.debugf("Creating a Gemini client for %s", baseUri);
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(upstream.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // until the response headers only; silence inside the SSE body is the dialect's idle timeout
                .readTimeout(upstream.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, upstream.maxConnections())
                .register(new UpstreamErrorMapper())
                .build(GeminiClient.class);
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
