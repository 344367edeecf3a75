package dev.hearth.config;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A fake local Ollama on a random port answering {@code GET /api/tags} as Ollama does, so the
 * first-start provider detection finds it. (JDK HTTP server: nothing here to clash with the
 * application's class loader.)
 */
public class FakeOllama implements QuarkusTestResourceLifecycleManager {

    static final String TAGS = """
            {"models":[{"name":"llama3.2:3b","model":"llama3.2:3b","size":2019393189,
              "details":{"family":"llama","parameter_size":"3.2B","quantization_level":"Q4_K_M"}},
             {"name":"qwen2.5:7b","model":"qwen2.5:7b","size":4683087332}]}""";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/tags", exchange -> {
            byte[] body = TAGS.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return Map.of("hearth.seed.ollama-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
