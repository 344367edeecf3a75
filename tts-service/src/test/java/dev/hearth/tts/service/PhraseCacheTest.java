package dev.hearth.tts.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.tts.engine.Pcm;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The phrase cache against the real Redis (a key prefix of this class's own). */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class PhraseCacheTest {

    @Inject
    SpeechSynthesizer synthesizer;
    @Inject
    PhraseCache cache;
    @Inject
    Redis redis;
    @Inject
    MeterRegistry registry;

    double count(String result) {
        var counter = registry.find("hearth.tts.cache").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aSecondSynthesisOfTheSamePhraseIsACacheHit() {
        SpeechSynthesizer.Plan plan = synthesizer.plan("freetts", "kevin16", "", 22050);
        String text = "Cache me " + UUID.randomUUID().toString().substring(0, 4) + ".";
        double hits = count("hit");
        double misses = count("miss");

        Pcm first = synthesizer.speak(plan, text).await().atMost(Duration.ofSeconds(60));
        assertThat(count("miss")).isEqualTo(misses + 1);
        String key = cache.key("freetts", "kevin16", 22050, text);
        assertThat(key).contains(":tts:freetts:kevin16:22050:");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                redis.send(Request.cmd(Command.EXISTS).arg(key)).await().atMost(Duration.ofSeconds(2)).toInteger() == 1);
        long ttl = redis.send(Request.cmd(Command.PTTL).arg(key)).await().atMost(Duration.ofSeconds(2)).toLong();
        assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofDays(7).toMillis());

        Pcm second = synthesizer.speak(plan, text).await().atMost(Duration.ofSeconds(5));
        assertThat(count("hit")).isEqualTo(hits + 1);
        assertThat(second.sampleRate()).isEqualTo(22050);
        assertThat(second.data()).isEqualTo(first.data());

        // Another rate is another entry.
        synthesizer.speak(synthesizer.plan("freetts", "kevin16", "", 16000), text).await().atMost(Duration.ofSeconds(60));
        assertThat(count("miss")).isEqualTo(misses + 2);
    }

    @Test
    void anEntryOverTheSizeCapIsNotStored() {
        String key = cache.key("test", "v", 0, UUID.randomUUID().toString());
        cache.put(key, new Pcm(new byte[3_000_000], 16000));
        cache.put(key + "small", new Pcm(new byte[1000], 16000));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                redis.send(Request.cmd(Command.EXISTS).arg(key + "small")).await().atMost(Duration.ofSeconds(2)).toInteger() == 1);
        assertThat(redis.send(Request.cmd(Command.EXISTS).arg(key)).await().atMost(Duration.ofSeconds(2)).toInteger()).isZero();
    }
}
