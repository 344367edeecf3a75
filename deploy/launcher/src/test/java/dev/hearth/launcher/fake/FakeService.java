package dev.hearth.launcher.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stands in for a Quarkus service in launcher tests: serves /q/health/ready on QUARKUS_HTTP_PORT,
 * prints its HEARTH_* environment, starts a child process (to prove descendants get stopped),
 * and fails or never gets ready when told to by FAKE_FAIL_PORT / FAKE_NEVER_READY_PORT.
 */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        String port = System.getenv("QUARKUS_HTTP_PORT");
        System.out.println("fake service starting on " + port);
        Map<String, String> env = new TreeMap<>(System.getenv());
        env.forEach((name, value) -> {
            if (name.startsWith("HEARTH_") || name.startsWith("QUARKUS_") || name.startsWith("FAKE_")) {
                System.out.println("env " + name + "=" + value);
            }
        });
        if (port.equals(System.getenv("FAKE_FAIL_PORT"))) {
            System.out.println("fake failure: cannot connect to anything");
            System.exit(3);
        }
        boolean neverReady = port.equals(System.getenv("FAKE_NEVER_READY_PORT"));
        Process child = new ProcessBuilder("sleep", "600").start();
        System.out.println("child pid " + child.pid());

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 50);
        server.createContext("/q/health/ready", exchange -> respond(exchange, neverReady ? 503 : 200,
                "{\"status\":\"" + (neverReady ? "DOWN" : "UP") + "\"}"));
        server.createContext("/q/metrics", exchange -> respond(exchange, 200, "# TYPE up gauge\nup 1\n"));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("fake service stopping")));
        System.out.println("fake service listening");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
