package dev.hearth.llm.provider.anthropic;

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
 * One Messages client per provider base URL, built on first use and kept (providers come from
 * configuration at runtime; a client per call would throw away its connection pool).
 */
@ApplicationScoped
public class AnthropicMessagesClients {

    private static final Logger LOG = Logger.getLogger(AnthropicMessagesClients.class);

    private final LlmAdapterConfig.Upstream upstream;
    private final ConcurrentMap<URI, AnthropicMessagesClient> clients = new ConcurrentHashMap<>();

    public AnthropicMessagesClients(LlmAdapterConfig config) {
        this.upstream = config.upstream();
    }

    /** @param baseUri the API root without {@code /v1}, e.g. {@code https://api.anthropic.com} */
    public AnthropicMessagesClient forBaseUri(URI baseUri) {
        return clients.computeIfAbsent(baseUri, this::build);
    }

    private AnthropicMessagesClient build(URI baseUri) {
        LOG.debugf("Creating an Anthropic Messages client for %s", baseUri);
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(upstream.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // Until the response headers only; silence inside the SSE body is the dialect's to
                // bound. It also matters for a call cancelled before the headers: the REST client
                // closes that connection only when they arrive or this timeout fires.
                .readTimeout(upstream.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, upstream.maxConnections())
                .register(new UpstreamErrorMapper())
                .build(AnthropicMessagesClient.class);
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
