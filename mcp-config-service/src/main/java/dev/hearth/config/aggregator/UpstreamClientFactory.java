package dev.hearth.config.aggregator;

import dev.hearth.config.McpServer;
import dev.hearth.config.config.AggregatorConfig;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;

/**
 * Builds the MCP SDK client for a stored server: Streamable HTTP (headers filled from this
 * service's environment) or a stdio process (its {@code ${NAME}} env values filled likewise).
 * A variable that is not set fails the connection with a message naming it, never the value.
 */
@ApplicationScoped
public class UpstreamClientFactory {

    private static final Logger LOG = Logger.getLogger(UpstreamClientFactory.class);
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}");

    private final AggregatorConfig config;
    private final UnaryOperator<String> environment;

    @Inject
    public UpstreamClientFactory(AggregatorConfig config) {
        // Through MicroProfile Config, whose sources include the environment (and, in tests, overrides).
        this(config, name -> ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse(null));
    }

    UpstreamClientFactory(AggregatorConfig config, UnaryOperator<String> environment) {
        this.config = config;
        this.environment = environment;
    }

    /**
     * @param onToolsChanged called when the server sends {@code notifications/tools/list_changed}
     */
    public McpAsyncClient create(McpServer server, Runnable onToolsChanged) {
        return McpClient.async(transport(server))
                .clientInfo(new McpSchema.Implementation("hearth-mcp-config-service", "0.1.0"))
                .requestTimeout(config.callTimeout())
                .initializationTimeout(config.requestTimeout())
                // The SDK hands over only the first page; the connection re-lists every page itself.
                .toolsChangeConsumer(firstPage -> Mono.fromRunnable(onToolsChanged))
                .build();
    }

    private McpClientTransport transport(McpServer server) {
        if (McpServer.STDIO.equals(server.transport())) {
            ServerParameters parameters = ServerParameters.builder(server.command()).args(server.args())
                    .env(resolvedEnv(server)).build();
            StdioClientTransport transport = new StdioClientTransport(parameters, McpJsonDefaults.getMapper());
            transport.setStdErrorHandler(line -> LOG.debugf("[mcp %s stderr] %s", server.name(), line));
            return transport;
        }
        URI uri = URI.create(server.url());
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        String endpoint = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        HttpRequest.Builder requests = HttpRequest.newBuilder();
        headers(server).forEach(requests::header);
        return HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).requestBuilder(requests)
                .connectTimeout(config.requestTimeout()).build();
    }

    /** Header name to value, each value read from the environment variable the server names. */
    Map<String, String> headers(McpServer server) {
        Map<String, String> headers = new TreeMap<>();
        server.headers().forEach((header, variable) -> headers.put(header, required(server, variable,
                "header " + header)));
        return headers;
    }

    Map<String, String> resolvedEnv(McpServer server) {
        Map<String, String> env = new TreeMap<>();
        server.env().forEach((name, value) -> env.put(name, substitute(value,
                variable -> required(server, variable, "env " + name))));
        return env;
    }

    private String required(McpServer server, String variable, String what) {
        String value = environment.apply(variable);
        if (value == null) {
            throw new IllegalStateException("environment variable " + variable + " (for " + what + " of MCP server '"
                    + server.name() + "') is not set in mcp-config-service's environment");
        }
        return value;
    }

    private static String substitute(String value, Function<String, String> lookup) {
        Matcher references = REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (references.find()) {
            references.appendReplacement(resolved, Matcher.quoteReplacement(lookup.apply(references.group(1))));
        }
        references.appendTail(resolved);
        return resolved.toString();
    }

    static List<String> references(String value) {
        return REFERENCE.matcher(value).results().map(m -> m.group(1)).toList();
    }
}
