package dev.hearth.stt;

import dev.hearth.stt.config.SttSettings;
import dev.hearth.stt.engine.pocketsphinx.Decoder;
import dev.hearth.stt.engine.pocketsphinx.PocketSphinx;
import dev.hearth.stt.fake.FakeConfigService;
import dev.hearth.stt.grammar.CommandGrammar;
import dev.hearth.stt.grammar.Dictionary;
import dev.hearth.stt.vad.VoiceDetector;
import dev.hearth.stt.vad.VoiceDetectors;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints pocketsphinx's real-time factor (decode time / audio duration) with the home grammar and
 * with the general model, and the voice detectors' time per 32 ms frame. Not a test and not run by
 * surefire (the name does not end in Test). The class path goes in an argument file: ONNX Runtime
 * 1.29.0 crashed (SIGSEGV at init) here when the process's command line was longer than ~4 KB.
 * <pre>
 * ./mvnw -o -q -pl stt-service test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd stt-service &amp;&amp; echo "-cp target/classes:target/test-classes:$(cat target/cp.txt)" &gt; target/bench.args
 * java @target/bench.args dev.hearth.stt.SttBenchmark [rounds]
 * </pre>
 */
public final class SttBenchmark {

    private static final List<String> COMMANDS = List.of("turn on the kitchen light", "set the bedroom lamp to fifty percent",
            "what is the temperature in the living room", "close the garage door", "turn off all the lights in the hallway");

    private SttBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources()
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(SttSettings.class)
                // The other settings in application.properties (the Wyoming server's) are not read here.
                .withMappingIgnore("hearth.stt.**").build();
        SttSettings settings = config.getConfigMapping(SttSettings.class);

        List<short[]> utterances = new ArrayList<>();
        String[] voices = {"slt", "kal16", "awb", "rms"};
        for (int i = 0; i < COMMANDS.size(); i++) {
            utterances.add(Speech.concat(Speech.silence(200), Speech.say(voices[i % voices.length], COMMANDS.get(i)), Speech.silence(300)));
        }
        double audioSeconds = utterances.stream().mapToDouble(u -> u.length / 16000.0).sum();

        Dictionary dictionary = new Dictionary(settings);
        CommandGrammar grammar = CommandGrammar.of(FakeConfigService.HOME, dictionary::contains);
        try (PocketSphinx ps = PocketSphinx.load(settings.pocketsphinx().library(), settings.pocketsphinx().modelDir(), 1)) {
            ps.withDecoder(d -> {
                d.useGrammar(grammar.jsgf(), 1);
                for (String search : new String[] {Decoder.GRAMMAR, Decoder.LM}) {
                    d.decode(search, utterances.get(0)); // warm up
                    long nanos = 0;
                    for (int r = 0; r < rounds; r++) {
                        for (short[] u : utterances) {
                            long start = System.nanoTime();
                            d.decode(search, u);
                            nanos += System.nanoTime() - start;
                        }
                    }
                    System.out.printf("pocketsphinx %-8s RTF %.4f (%.1f ms per second of audio)%n",
                            search.equals(Decoder.GRAMMAR) ? "grammar" : "general", nanos / 1e9 / (audioSeconds * rounds),
                            nanos / 1e6 / (audioSeconds * rounds));
                }
                return null;
            });
        }

        VoiceDetectors detectors = new VoiceDetectors(settings);
        detectors.load();
        short[] audio = Speech.concat(utterances.toArray(new short[0][]));
        frameCost("silero", detectors.create(), audio, rounds);
        frameCost("energy", detectors.energy(), audio, rounds);
        System.exit(0);
    }

    private static void frameCost(String name, VoiceDetector detector, short[] audio, int rounds) {
        int frames = 0;
        long nanos = 0;
        for (int r = 0; r <= rounds; r++) {
            for (int at = 0; at + VoiceDetector.FRAME_SAMPLES <= audio.length; at += VoiceDetector.FRAME_SAMPLES) {
                short[] frame = java.util.Arrays.copyOfRange(audio, at, at + VoiceDetector.FRAME_SAMPLES);
                long start = System.nanoTime();
                detector.speechProbability(frame);
                if (r > 0) { // round 0 warms up
                    nanos += System.nanoTime() - start;
                    frames++;
                }
            }
        }
        System.out.printf("vad %-7s %.3f ms per 32 ms frame (RTF %.4f)%n", name, nanos / 1e6 / frames, nanos / 1e6 / frames / 32);
    }
}
