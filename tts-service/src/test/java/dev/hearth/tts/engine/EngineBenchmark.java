package dev.hearth.tts.engine;

import dev.hearth.tts.config.TtsSettings;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Prints each local engine's real-time factor (synthesis time / audio duration; below 1 is faster
 * than real time). Not a test and not run by CI:
 * <pre>
 * ./mvnw -o -q -pl tts-service test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp tts-service/target/classes:tts-service/target/test-classes:$(cat tts-service/target/cp.txt) \
 *     dev.hearth.tts.engine.EngineBenchmark
 * </pre>
 */
public final class EngineBenchmark {

    private static final List<String> SENTENCES = List.of(
            "The living room lights are now off.",
            "It is twenty one degrees inside and the forecast says rain after three in the afternoon.",
            "Dr. Smith's appointment was moved to Thursday at 3.30, so I've updated your calendar and set a reminder.",
            "Good morning!");

    private EngineBenchmark() {
    }

    public static void main(String[] args) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources()
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(TtsSettings.class).build();
        TtsSettings settings = config.getConfigMapping(TtsSettings.class);
        ProcessRunner runner = new ProcessRunner();
        FliteEngine flite = new FliteEngine(settings, runner);
        flite.detect(null);
        EspeakEngine espeak = new EspeakEngine(settings, runner);
        espeak.detect(null);
        FreeTtsEngine freetts = new FreeTtsEngine(settings);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        run(flite, "slt", rounds);
        run(flite, "kal", rounds);
        run(espeak, "en", rounds);
        run(freetts, "kevin16", rounds);
        System.exit(0); // the worker pool's threads would keep the JVM alive
    }

    private static void run(TtsEngine engine, String voice, int rounds) {
        if (!engine.available()) {
            System.out.printf("%-8s %-8s not installed%n", engine.name(), voice);
            return;
        }
        engine.synthesize("Warm up.", voice).await().atMost(Duration.ofSeconds(60));
        double audio = 0;
        long nanos = 0;
        long firstSentence = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            for (String sentence : SENTENCES) {
                long start = System.nanoTime();
                Pcm pcm = engine.synthesize(sentence, voice).await().atMost(Duration.ofSeconds(60));
                long took = System.nanoTime() - start;
                nanos += took;
                audio += pcm.seconds();
                if (sentence.equals(SENTENCES.get(0))) {
                    firstSentence = Math.min(firstSentence, took);
                }
            }
        }
        System.out.printf("%-8s %-8s RTF %.4f  (%.1f s of audio in %.2f s; short sentence in %d ms)%n",
                engine.name(), voice, nanos / 1e9 / audio, audio, nanos / 1e9, firstSentence / 1_000_000);
    }
}
