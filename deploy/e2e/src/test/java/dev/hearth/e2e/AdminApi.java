package dev.hearth.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.launcher.ServiceId;
import dev.hearth.launcher.Suite;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** mcp-config-service's admin API of the running suite, used as an operator would: with the suite's admin key. */
final class AdminApi {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AdminApi() {
    }

    /** Creates something ({@code POST path}) and fails the test unless it was created (201). */
    static void create(Suite suite, String path, ObjectNode body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + suite.port(ServiceId.MCP_CONFIG) + path))
                .header("Authorization", "Bearer " + suite.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), path + " " + body + " -> " + response.body());
    }
}
