package dev.hearth.infra.testing;

import dev.hearth.infra.FreePorts;
import dev.hearth.infra.Redis;
import dev.hearth.infra.RedisUrl;
import dev.hearth.infra.RespClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A redis-server of a test class's own on a free port (never the shared one on 6379), which a
 * test can stop and start again on the same port. The resource runs in another class loader than
 * the test, so the test stops the server by command ({@link #shutdown}) and starts its successor
 * itself ({@link #launch}).
 */
public class RestartableRedis implements QuarkusTestResourceLifecycleManager {

    private Process process;

    @Override
    public Map<String, String> start() {
        int port = FreePorts.pick();
        process = launch(port);
        return Map.of("hearth.redis.url", "redis://127.0.0.1:" + port, "hearth.redis.prefix", "reload-test:");
    }

    @Override
    public void stop() {
        process.destroy();
    }

    /** Starts redis-server (no persistence) on {@code port} and waits until it answers. */
    public static Process launch(int port) {
        try {
            Process started = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Redis.answers(RedisUrl.local(port)));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server on {@code port}, whoever started it, and waits until the port is closed. */
    public static void shutdown(int port) {
        try (RespClient client = RespClient.connect(RedisUrl.local(port))) {
            client.call("SHUTDOWN", "NOSAVE");
        } catch (IOException expected) {
            // the server closes the connection instead of answering
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !Redis.answers(RedisUrl.local(port)));
    }

    /** PUBLISH on a fresh connection; false when Redis is not there (the message is lost, as in production). */
    public static boolean publish(int port, String channel, String message) {
        try (RespClient client = RespClient.connect(RedisUrl.local(port))) {
            client.call("PUBLISH", channel, message);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
