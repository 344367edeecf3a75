package dev.hearth.router.voice;

import dev.hearth.proto.v1.SpeechBoundary;
import dev.hearth.proto.v1.SpeechToTextGrpc;
import dev.hearth.proto.v1.SttConfig;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.proto.v1.Transcript;
import dev.hearth.proto.v1.WordTiming;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fake stt-service speaking the real {@code SpeechToText.Transcribe} contract: one {@link Session}
 * per call, keyed by its config's request id, which the test scripts (speech started, partials,
 * speech ended, finals, failures) as the VAD and engine of the real service would. Audio is only
 * counted (an odd number of bytes is refused like real s16le audio would be); on {@code end} the
 * session answers {@link Session#finalOnEnd} (when set) and ends the call.
 */
public final class FakeSpeechToText extends SpeechToTextGrpc.SpeechToTextImplBase {

    public static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();

    /** A Transcribe call as stt-service sees it, and the events the test makes it send. */
    public static final class Session {
        public final SttConfig config;
        private final ServerCallStreamObserver<SttEvent> out;
        public volatile long audioBytes;
        public volatile boolean endReceived;
        public volatile boolean cancelled;
        public volatile boolean closed;
        /** The utterance in progress when {@code end} arrives: answered as a final, then the call ends. */
        public volatile String finalOnEnd;
        private int utterance;

        Session(SttConfig config, ServerCallStreamObserver<SttEvent> out) {
            this.config = config;
            this.out = out;
        }

        public synchronized void speechStarted(int atMs) {
            send(SttEvent.newBuilder().setSpeechStarted(SpeechBoundary.newBuilder().setAtMs(atMs)).build());
        }

        public synchronized void speechEnded(int atMs) {
            send(SttEvent.newBuilder().setSpeechEnded(SpeechBoundary.newBuilder().setAtMs(atMs)).build());
        }

        public synchronized void partial(String text) {
            send(SttEvent.newBuilder().setPartial(transcript(text)).build());
        }

        public synchronized void finalText(String text) {
            send(SttEvent.newBuilder().setFinal(transcript(text)).build());
            utterance++;
        }

        /** A whole utterance as the VAD and engine report it. */
        public synchronized void utter(String text) {
            speechStarted(0);
            partial(text.split(" ")[0]);
            speechEnded(1200);
            finalText(text);
        }

        public synchronized void fail(Status status) {
            if (!closed) {
                closed = true;
                out.onError(status.asRuntimeException());
            }
        }

        public synchronized void complete() {
            if (!closed) {
                closed = true;
                out.onCompleted();
            }
        }

        private Transcript transcript(String text) {
            Transcript.Builder t = Transcript.newBuilder().setText(text).setLanguage("en").setEngine("fake")
                    .setUtterance(utterance).setStartMs(0).setEndMs(1200).setConfidence(0.9f).setComputeMs(12);
            int at = 0;
            for (String word : text.split(" ")) {
                if (!word.isEmpty()) {
                    t.addWords(WordTiming.newBuilder().setWord(word).setStartMs(at).setEndMs(at + 300).setConfidence(0.9f));
                    at += 300;
                }
            }
            return t.build();
        }

        private void send(SttEvent event) {
            if (!closed && !cancelled) {
                out.onNext(event);
            }
        }

        synchronized void ended() {
            endReceived = true;
            if (finalOnEnd != null) {
                speechEnded((int) (audioBytes / 32));
                finalText(finalOnEnd);
            }
            complete();
        }
    }

    @Override
    public StreamObserver<SttInput> transcribe(StreamObserver<SttEvent> plain) {
        ServerCallStreamObserver<SttEvent> out = (ServerCallStreamObserver<SttEvent>) plain;
        AtomicReference<Session> current = new AtomicReference<>();
        out.setOnCancelHandler(() -> {
            Session s = current.get();
            if (s != null) {
                s.cancelled = true;
            }
        });
        return new StreamObserver<>() {
            private Session session;

            @Override
            public void onNext(SttInput input) {
                switch (input.getInputCase()) {
                    case CONFIG -> {
                        session = new Session(input.getConfig(), out);
                        current.set(session);
                        SESSIONS.put(input.getConfig().getRequestId(), session);
                    }
                    case AUDIO -> {
                        if (input.getAudio().size() % 2 != 0) {
                            session.fail(Status.INVALID_ARGUMENT.withDescription(
                                    "pcm_s16le audio comes in whole 16-bit samples: a chunk of " + input.getAudio().size()
                                            + " bytes is not"));
                            return;
                        }
                        session.audioBytes += input.getAudio().size();
                    }
                    case END -> session.ended();
                    default -> session.fail(Status.INVALID_ARGUMENT.withDescription("empty message"));
                }
            }

            @Override
            public void onError(Throwable t) {
                if (session != null) {
                    session.cancelled = true;
                }
            }

            @Override
            public void onCompleted() {
                if (session != null && !session.endReceived) {
                    session.ended();
                }
            }
        };
    }
}
