package dev.hearth.stt.fake;

import dev.hearth.stt.engine.EngineTranscript;
import dev.hearth.stt.engine.SttEngine;
import dev.hearth.stt.engine.SttEngineException;
import dev.hearth.stt.engine.Utterance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for remote engines (the real ones talk HTTP or Wyoming to servers not reachable here):
 * one that answers, one whose server is down.
 */
public final class FakeRemoteEngines {

    private FakeRemoteEngines() {
    }

    /** Answers every utterance with its length: "heard N milliseconds". */
    @ApplicationScoped
    public static class FakeAnsweringEngine implements SttEngine {

        public static final String NAME = "fake-remote";
        private final AtomicInteger calls = new AtomicInteger();

        /** Utterances transcribed so far (a method: the injected bean is a client proxy). */
        public int calls() {
            return calls.get();
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public Uni<EngineTranscript> transcribe(Utterance utterance) {
            calls.incrementAndGet();
            return Uni.createFrom().item(new EngineTranscript("heard " + utterance.durationMs() + " milliseconds", List.of(),
                    0.9f, false, "en"));
        }
    }

    /** Configured, but its server refuses: every transcription fails with engine_unavailable. */
    @ApplicationScoped
    public static class FakeDownEngine implements SttEngine {

        public static final String NAME = "fake-unreachable";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public Uni<EngineTranscript> transcribe(Utterance utterance) {
            return Uni.createFrom().failure(new SttEngineException("engine_unavailable", "fake-unreachable: connection refused"));
        }
    }
}
