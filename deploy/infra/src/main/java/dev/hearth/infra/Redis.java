package dev.hearth.infra;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis server: the one at HEARTH_REDIS_URL if it answers PING, else an embedded one
 * (no persistence) that this object owns and stops on {@link #close()}.
 */
public final class Redis implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Redis.class.getName());
    private static final String EMBEDDED_HOST = "127.0.0.1";

    private final RedisUrl url;
    private final RedisServer embedded;
    private final OptionalLong embeddedPid;

    private Redis(RedisUrl url, RedisServer embedded, OptionalLong embeddedPid) {
        this.url = url;
        this.embedded = embedded;
        this.embeddedPid = embeddedPid;
    }

    /** Reads HEARTH_REDIS_URL (default {@value RedisUrl#DEFAULT}). */
    public static RedisUrl urlFromEnv(Map<String, String> env) {
        return RedisUrl.parse(new Env(env).get("HEARTH_REDIS_URL", RedisUrl.DEFAULT));
    }

    public static Redis findOrStart(RedisUrl configured) {
        if (answers(configured)) {
            LOG.log(System.Logger.Level.INFO, "Using Redis at " + configured.redacted());
            return new Redis(configured, null, OptionalLong.empty());
        }
        int port = FreePorts.preferring(EMBEDDED_HOST, configured.port());
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .bind(EMBEDDED_HOST)
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            OptionalLong pid = startAndFindPid(server);
            LOG.log(System.Logger.Level.INFO, "Started embedded Redis on " + EMBEDDED_HOST + ":" + port);
            return new Redis(RedisUrl.local(port), server, pid);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded Redis on port " + port, e);
        }
    }

    /**
     * The library does not expose its process, and redis-server rewrites its command line (the
     * port is not visible there): the new redis-server child is the one that was not there before.
     */
    private static synchronized OptionalLong startAndFindPid(RedisServer server) throws IOException {
        Set<Long> before = redisChildren().collect(Collectors.toSet());
        server.start();
        return redisChildren().filter(pid -> !before.contains(pid)).mapToLong(Long::longValue).findFirst();
    }

    private static Stream<Long> redisChildren() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false))
                .map(ProcessHandle::pid);
    }

    /** A PING that gets PONG, after AUTH/SELECT from the URL (for TLS: an open port, our client speaks plain TCP). */
    public static boolean answers(RedisUrl url) {
        if (!TcpProbe.isOpen(url.host(), url.port())) {
            return false;
        }
        if (url.tls()) {
            return true;
        }
        try (RespClient client = RespClient.connect(url)) {
            return "PONG".equals(client.call("PING"));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Port " + url.host() + ":" + url.port()
                    + " is open but Redis did not answer: " + e.getMessage());
            return false;
        }
    }

    public RedisUrl url() {
        return url;
    }

    public Endpoint endpoint() {
        return new Endpoint(url.host(), url.port(), embedded != null);
    }

    /** The embedded redis-server's pid (a child of this JVM), so a watchdog can stop it if we die hard. */
    public OptionalLong embeddedPid() {
        return embeddedPid;
    }

    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.stop();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not stop embedded Redis cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "Redis " + endpoint();
    }
}
