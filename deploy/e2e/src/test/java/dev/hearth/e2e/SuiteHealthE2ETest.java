package dev.hearth.e2e;

import dev.hearth.launcher.ServiceId;
import dev.hearth.launcher.Suite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every service of the running suite is ready and exposes Prometheus metrics on its one port. */
@Order(2)
class SuiteHealthE2ETest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Suite suite;

    @BeforeAll
    static void suite() {
        suite = E2ESuite.get();
    }

    @ParameterizedTest
    @EnumSource(ServiceId.class)
    void isReady(ServiceId service) throws Exception {
        HttpResponse<String> response = get(service, "/q/health/ready");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"UP\""), response.body());
    }

    @ParameterizedTest
    @EnumSource(ServiceId.class)
    void servesPrometheusMetrics(ServiceId service) throws Exception {
        HttpResponse<String> response = get(service, "/q/metrics");
        assertEquals(200, response.statusCode());
        String contentType = response.headers().firstValue("content-type").orElse("");
        assertTrue(contentType.startsWith("text/plain") || contentType.startsWith("application/openmetrics-text"),
                contentType);
        assertTrue(response.body().contains("# TYPE "), "exposition format");
        assertTrue(response.body().contains("jvm_memory_used_bytes"), "JVM metrics are bound");
    }

    private static HttpResponse<String> get(ServiceId service, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.port(service) + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "text/plain");
        if (service == ServiceId.GATEWAY) {
            // Every request to the gateway carries the client's API key, as a real client's would.
            request.header("Authorization", "Bearer " + suite.apiKey());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
