package dev.hearth.tts.service;

import dev.hearth.tts.config.TtsSettings;
import dev.hearth.tts.engine.Pcm;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Synthesized phrases in Redis, keyed by engine, voice, output rate and a hash of the text, with a
 * TTL and a size cap per entry. Redis being slow or down only ever makes a miss: synthesis goes on.
 */
@ApplicationScoped
public class PhraseCache {

    private static final Logger LOG = Logger.getLogger(PhraseCache.class);
    private final Redis redis;
    private final TtsSettings.Cache settings;
    private final Counter hits;
    private final Counter misses;
    private final Counter errors;

    PhraseCache(Redis redis, TtsSettings settings, MeterRegistry registry) {
        this.redis = redis;
        this.settings = settings.cache();
        this.hits = Counter.builder("hearth.tts.cache").tag("result", "hit").register(registry);
        this.misses = Counter.builder("hearth.tts.cache").tag("result", "miss").register(registry);
        this.errors = Counter.builder("hearth.tts.cache").tag("result", "error").register(registry);
    }

    public String key(String engine, String voice, int rate, String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return settings.prefix() + "tts:" + engine + ":" + voice + ":" + rate + ":" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cached audio, or null on a miss (Redis down counts as a miss). */
    public Uni<Pcm> get(String key) {
        if (!settings.enabled()) {
            return Uni.createFrom().nullItem();
        }
        return redis.send(Request.cmd(Command.GET).arg(key))
                .ifNoItem().after(settings.timeout()).fail()
                .map(response -> {
                    if (response == null) {
                        misses.increment();
                        return (Pcm) null;
                    }
                    byte[] stored = response.toBuffer().getBytes();
                    if (stored.length < 4) {
                        misses.increment();
                        return null;
                    }
                    hits.increment();
                    byte[] pcm = new byte[stored.length - 4];
                    System.arraycopy(stored, 4, pcm, 0, pcm.length);
                    return new Pcm(pcm, ByteBuffer.wrap(stored).getInt());
                })
                .onFailure().recoverWithItem(failure -> {
                    errors.increment();
                    LOG.debugf("phrase cache unavailable, synthesizing without it: %s", failure.toString());
                    return null;
                });
    }

    /** Stores the audio unless it is over the size cap; fire and forget. */
    public void put(String key, Pcm pcm) {
        if (!settings.enabled() || pcm.data().length + 4 > settings.maxEntryBytes()) {
            return;
        }
        byte[] stored = ByteBuffer.allocate(pcm.data().length + 4).putInt(pcm.sampleRate()).put(pcm.data()).array();
        redis.send(Request.cmd(Command.SET).arg(key).arg(Buffer.buffer(stored))
                        .arg("PX").arg(settings.ttl().toMillis()))
                .ifNoItem().after(settings.timeout()).fail()
                .subscribe().with(ok -> { }, failure -> {
                    errors.increment();
                    LOG.debugf("phrase not cached: %s", failure.toString());
                });
    }
}
