package dev.hearth.llm.provider.ollama;

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
 * One REST client per Ollama base URL, built on first use and kept (providers come from
 * configuration at runtime, and a client per call would throw away its connection pool).
 */
@ApplicationScoped
public class OllamaChatClients {

    private static final Logger LOG = Logger.getLogger(OllamaChatClients.class);

    private final LlmAdapterConfig.Upstream upstream;
    private final ConcurrentMap<URI, OllamaChatClient> clients = new ConcurrentHashMap<>();

    public OllamaChatClients(LlmAdapterConfig config) {
        this.upstream = config.upstream();
    }

    /** @param baseUri the server root, e.g. {@code http://localhost:11434}, without {@code /api} */
    public OllamaChatClient forBaseUri(URI baseUri) {
        return clients.computeIfAbsent(baseUri, this::build);
    }

    private OllamaChatClient build(URI baseUri) {
        LOG.debugf("Creating an Ollama client for %s", baseUri);
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(upstream.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // Until the response headers only: Ollama sends them with its first line, after
                // loading the model and reading the prompt. Silence between lines is the dialect's.
                .readTimeout(upstream.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, upstream.maxConnections())
                .register(new UpstreamErrorMapper())
                .build(OllamaChatClient.class);
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
