package dev.hearth.gateway;

import dev.hearth.proto.v1.ChatCompleted;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.ChatStarted;
import dev.hearth.proto.v1.ErrorInfo;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.RouterGrpc;
import dev.hearth.proto.v1.TextChunk;
import dev.hearth.proto.v1.Usage;
import dev.hearth.proto.v1.VoiceInput;
import dev.hearth.proto.v1.VoiceStart;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake router-service on a random port, speaking the real hearth.v1 Router gRPC contract.
 * As a test resource it only reserves the port and points the gateway at it; the tests start the
 * server itself ({@link #ensureStarted}) from the application's class loader, where the gRPC
 * classes are the same ones the server builder uses (started from the resource, they are not).
 * It also plays mcp-config-service's ConfigService and, for keys tests create, AuthService ({@link FakeAuth}).
 * What it answers depends on the chat text (for a stateless turn of the OpenAI-compatible API, the
 * text of its last user message; {@code tool-call} runs the tool get_weather and answers; {@code tool-limit} ends at unrun tool calls;
 * {@code handover} completes on a second provider after the first failed 5 characters in):
 * {@code slow} streams 400 chunks 25 ms apart; {@code fail} fails with UNAVAILABLE;
 * {@code no-terminal} ends without a terminal event; {@code provider-down} ends with an error event;
 * {@code hang} starts and then sends nothing; {@code steady:<n>:<ms>} and {@code flood:<n>:<chars>}
 * stream n chunks paced or at once;
 * anything else streams "Hello from the fake router" in five chunks.
 * Router.Voice is played by {@link FakeVoiceTurn}, scripted by the VoiceStart's profile.
 */
public class FakeRouter implements QuarkusTestResourceLifecycleManager {

    public static final List<String> GREETING = List.of("Hello", " from", " the", " fake", " router");
    public static final AtomicInteger CANCELLED = new AtomicInteger();
    public static final ConcurrentLinkedQueue<ChatRequest> REQUESTS = new ConcurrentLinkedQueue<>();

    /** API keys the fake AuthService knows: key → user (the admin key has the admin scope). */
    public static final String ALICE = "hk_test_alice";
    public static final String ALICE_PHONE = "hk_test_alice_phone";
    public static final String BOB = "hk_test_bob";
    public static final String ADMIN = "hk_test_admin";
    private static final Map<String, String> KEYS = Map.of(ALICE, "alice", ALICE_PHONE, "alice", BOB, "bob", ADMIN, "root");

    private static Server server;
    private static ScheduledExecutorService timer;

    // One port per test JVM: every application start of the module points at the same fake.
    private static final int PORT = reservePort();

    @Override
    public Map<String, String> start() {
        // The same server plays mcp-config-service's AuthService (see KEYS).
        return Map.of("hearth.router.host", "127.0.0.1", "hearth.router.port", String.valueOf(PORT),
                "hearth.config.host", "127.0.0.1", "hearth.config.port", String.valueOf(PORT));
    }

    private static int reservePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized void ensureStarted(int port) {
        if (server != null) {
            return;
        }
        timer = Executors.newScheduledThreadPool(2);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new RouterGrpc.RouterImplBase() {
                    @Override
                    public StreamObserver<ChatRequest> chat(StreamObserver<ChatEvent> observer) {
                        ServerCallStreamObserver<ChatEvent> out = (ServerCallStreamObserver<ChatEvent>) observer;
                        out.setOnCancelHandler(CANCELLED::incrementAndGet);
                        return new StreamObserver<>() {
                            private boolean started;

                            @Override
                            public void onNext(ChatRequest request) {
                                if (!started) {
                                    started = true;
                                    REQUESTS.add(request);
                                    answer(request, out);
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                            }
                        };
                    }


                    @Override
                    public StreamObserver<VoiceInput> voice(StreamObserver<ChatEvent> observer) {
                        return new FakeVoiceTurn((ServerCallStreamObserver<ChatEvent>) observer);
                    }
                })
                .addService(new dev.hearth.proto.v1.AuthServiceGrpc.AuthServiceImplBase() {
                    @Override
                    public void verifyApiKey(dev.hearth.proto.v1.VerifyApiKeyRequest request,
                            StreamObserver<dev.hearth.proto.v1.ApiKeyPrincipal> observer) {
                        if (FakeAuth.answer(request, observer)) {
                            return;
                        }
                        String user = KEYS.get(request.getKey());
                        if (user == null) {
                            observer.onError(Status.UNAUTHENTICATED.withDescription("unknown API key").asRuntimeException());
                            return;
                        }
                        dev.hearth.proto.v1.ApiKeyPrincipal.Builder principal = dev.hearth.proto.v1.ApiKeyPrincipal.newBuilder()
                                .setKeyId("k_" + request.getKey().substring(8)).setUserId(user).setName(user).addScopes("chat")
                                // The fixed keys serve many test classes in one app within a minute: limits
                                // out of the way (limits are tested with keys of their own, see FakeAuth).
                                .setLimits(dev.hearth.proto.v1.ApiKeyLimits.newBuilder().setMessagesPerMinute(1_000_000)
                                        .setMaxConcurrentStreams(10_000).setMaxConnections(10_000));
                        if (request.getKey().equals(ADMIN)) {
                            principal.addScopes("admin");
                        }
                        observer.onNext(principal.build());
                        observer.onCompleted();
                    }
                })
                .addService(FakeAuth.configService())
                .addService(new grpc.health.v1.HealthGrpc.HealthImplBase() {
                    @Override
                    public void check(grpc.health.v1.HealthOuterClass.HealthCheckRequest request,
                            StreamObserver<grpc.health.v1.HealthOuterClass.HealthCheckResponse> observer) {
                        observer.onNext(grpc.health.v1.HealthOuterClass.HealthCheckResponse.newBuilder()
                                .setStatus(grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING)
                                .build());
                        observer.onCompleted();
                    }
                })
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            timer.shutdownNow();
        }));
    }

    private static void answer(ChatRequest request, ServerCallStreamObserver<ChatEvent> out) {
        switch (textOf(request)) {
            case "fail" -> out.onError(Status.UNAVAILABLE.withDescription("router is down").asRuntimeException());
            case "no-terminal" -> {
                out.onNext(text("partial"));
                out.onCompleted();
            }
            case "provider-down" -> {
                out.onNext(started());
                out.onNext(ChatEvent.newBuilder().setError(ErrorInfo.newBuilder()
                        .setCode("provider_unavailable").setMessage("upstream 503").setRetryAfterMs(1500)).build());
                out.onCompleted();
            }
            case "slow" -> streamChunks(out, 0, 400, 25);
            case "hang" -> out.onNext(started()); // and nothing more, until cancelled
            case "handover" -> {
                out.onNext(started());
                out.onNext(text("Hello"));
                out.onNext(text(" again"));
                out.onNext(ChatEvent.newBuilder().setCompleted(ChatCompleted.newBuilder()
                        .setFinishReason(FinishReason.FINISH_REASON_STOP)
                        .setProvider("second").setModel("m-2").setAttempts(2)
                        .addHandovers(dev.hearth.proto.v1.Handover.newBuilder()
                                .setFromProvider("first").setFromModel("m-1").setToProvider("second").setToModel("m-2")
                                .setReason("provider_error").setMessage("connection reset").setAfterChars(5))).build());
                out.onCompleted();
            }
            case "tool-call" -> {
                // As the router answers when the model uses a tool: the call, its result, then the answer.
                out.onNext(started());
                out.onNext(ChatEvent.newBuilder().setToolCall(dev.hearth.proto.v1.ToolCallEvent.newBuilder()
                        .setCall(dev.hearth.proto.v1.ToolCall.newBuilder().setId("call-1").setName("get_weather")
                                .setArgumentsJson("{\"city\":\"Oslo\"}"))).build());
                out.onNext(ChatEvent.newBuilder().setToolResult(dev.hearth.proto.v1.ToolResultEvent.newBuilder()
                        .setToolCallId("call-1").setName("get_weather").setResultJson("{\"sky\":\"sunny\"}")).build());
                out.onNext(text("Sunny in Oslo."));
                out.onNext(completed());
                out.onCompleted();
            }
            case "tool-limit" -> {
                // The router's tool-round limit: calls reported, not run, and the turn ends tool_calls.
                out.onNext(started());
                out.onNext(text("Let me check"));
                out.onNext(ChatEvent.newBuilder().setCompleted(ChatCompleted.newBuilder()
                        .setFinishReason(FinishReason.FINISH_REASON_TOOL_CALLS)
                        .setUsage(Usage.newBuilder().setPromptTokens(3).setCompletionTokens(2))
                        .setProvider("fake").setModel("fake-1")).build());
                out.onCompleted();
            }
            default -> {
                if (patterned(textOf(request), out)) {
                    return;
                }
                out.onNext(started());
                GREETING.forEach(t -> out.onNext(text(t)));
                out.onNext(completed());
                out.onCompleted();
            }
        }
    }

    /** The chat text, or for a stateless turn ({@code messages}) the text of its last user message. */
    static String textOf(ChatRequest request) {
        for (int i = request.getMessagesCount() - 1; i >= 0; i--) {
            if (request.getMessages(i).getRole() == dev.hearth.proto.v1.Role.ROLE_USER) {
                return request.getMessages(i).getContent();
            }
        }
        return request.getText();
    }

    /**
     * {@code steady:<n>:<ms>}: n chunks "t0 ", "t1 "… ms apart; {@code flood:<n>:<chars>}: n chunks of
     * that many characters 1 ms apart. Both end with {@code completed}.
     */
    private static boolean patterned(String text, ServerCallStreamObserver<ChatEvent> out) {
        String[] parts = text.split(":");
        if (parts.length != 3 || !(parts[0].equals("steady") || parts[0].equals("flood"))) {
            return false;
        }
        int n = Integer.parseInt(parts[1]);
        int arg = Integer.parseInt(parts[2]);
        if (parts[0].equals("steady")) {
            streamChunks(out, 0, n, arg);
        } else {
            flood(out, 0, n, "x".repeat(arg));
        }
        return true;
    }

    /** Big chunks a millisecond apart: fast for a reading client, a flood for one that stopped. */
    private static void flood(ServerCallStreamObserver<ChatEvent> out, int i, int total, String chunk) {
        if (out.isCancelled()) {
            return;
        }
        if (i == total) {
            out.onNext(completed());
            out.onCompleted();
            return;
        }
        out.onNext(text(chunk));
        timer.schedule(() -> flood(out, i + 1, total, chunk), 1, TimeUnit.MILLISECONDS);
    }

    private static void streamChunks(ServerCallStreamObserver<ChatEvent> out, int i, int total, long delayMs) {
        if (out.isCancelled()) {
            return;
        }
        if (i == total) {
            out.onNext(completed());
            out.onCompleted();
            return;
        }
        out.onNext(text("t" + i + " "));
        timer.schedule(() -> streamChunks(out, i + 1, total, delayMs), delayMs, TimeUnit.MILLISECONDS);
    }

    private static ChatEvent started() {
        return ChatEvent.newBuilder().setStarted(ChatStarted.newBuilder().setProvider("fake").setModel("fake-1")).build();
    }

    private static ChatEvent text(String t) {
        return ChatEvent.newBuilder().setText(TextChunk.newBuilder().setText(t)).build();
    }

    private static ChatEvent completed() {
        return ChatEvent.newBuilder().setCompleted(ChatCompleted.newBuilder()
                .setFinishReason(FinishReason.FINISH_REASON_STOP)
                .setUsage(Usage.newBuilder().setPromptTokens(3).setCompletionTokens(5))
                .setProvider("fake").setModel("fake-1").setConversationId("conv-1")).build();
    }

    // --- Router.Voice -------------------------------------------------------------------------

    /** Every VoiceStart received, in order. */
    public static final ConcurrentLinkedQueue<VoiceStart> VOICE_STARTS = new ConcurrentLinkedQueue<>();
    /** The audio messages received per stream id, in order. */
    public static final Map<String, List<byte[]>> VOICE_AUDIO = new ConcurrentHashMap<>();
    /** Streams whose VoiceStop arrived. */
    public static final Set<String> VOICE_STOPPED = ConcurrentHashMap.newKeySet();
    /** Streams whose voice call the gateway cancelled. */
    public static final Set<String> VOICE_CANCELLED = ConcurrentHashMap.newKeySet();
    private static final Map<String, Runnable> HELD = new ConcurrentHashMap<>();

    /** The bytes of answer audio event {@code index}: a known pattern of {@link #ANSWER_AUDIO_SIZES}[index] bytes. */
    public static byte[] answerAudio(int index, int size) {
        byte[] audio = new byte[size];
        for (int i = 0; i < size; i++) {
            audio[i] = (byte) (i * 7 + index * 31 + 1);
        }
        return audio;
    }

    /** Sizes of the default script's answer audio (an odd one included). */
    public static final int[] ANSWER_AUDIO_SIZES = {1000, 333};

    /** The transcript the default script hears: the number of audio bytes received. */
    public static String heard(int bytes) {
        return "heard " + bytes + " bytes";
    }

    /**
     * Ends a voice turn held by the {@code held} script (its voice_turn and completed); false while
     * the turn has not reached the hold yet (await it).
     */
    public static boolean release(String streamId) {
        Runnable rest = HELD.remove(streamId);
        if (rest != null) {
            rest.run();
        }
        return rest != null;
    }

    /**
     * One voice call, scripted by VoiceStart.profile: empty (the default) hears the audio, and on
     * VoiceStop answers with speech activity, a final transcript "heard N bytes" (N the audio bytes
     * received), text, two audio events of known bytes ({@link #answerAudio}), a voice_turn with its
     * ledger, and completed; {@code held} does the same but holds voice_turn and completed until
     * {@link #release}; {@code big-answer} answers with four 24,000-byte audio events;
     * {@code no-speech} ends with error no_speech on stop; {@code stt-down} with speech_unavailable
     * at once; {@code fail} fails the call (UNAVAILABLE); {@code hang} never answers.
     */
    static final class FakeVoiceTurn implements StreamObserver<VoiceInput> {
        private final ServerCallStreamObserver<ChatEvent> out;
        private volatile VoiceStart start;
        private int bytes;

        FakeVoiceTurn(ServerCallStreamObserver<ChatEvent> out) {
            this.out = out;
            out.setOnCancelHandler(() -> {
                if (start != null) {
                    VOICE_CANCELLED.add(start.getStreamId());
                }
            });
        }

        @Override
        public synchronized void onNext(VoiceInput input) {
            switch (input.getInputCase()) {
                case START -> {
                    start = input.getStart();
                    VOICE_STARTS.add(start);
                    VOICE_AUDIO.put(start.getStreamId(), new java.util.concurrent.CopyOnWriteArrayList<>());
                    switch (start.getProfile()) {
                        case "fail" -> out.onError(Status.UNAVAILABLE.withDescription("router is down").asRuntimeException());
                        case "stt-down" -> {
                            out.onNext(error("speech_unavailable", "no speech-to-text engine is reachable"));
                            out.onCompleted();
                        }
                        default -> out.onNext(started());
                    }
                }
                case AUDIO -> {
                    if (bytes == 0 && !start.getProfile().equals("hang")) {
                        out.onNext(ChatEvent.newBuilder().setSpeech(dev.hearth.proto.v1.SpeechActivity.newBuilder()
                                .setStarted(true).setAtMs(0)).build());
                    }
                    VOICE_AUDIO.get(start.getStreamId()).add(input.getAudio().toByteArray());
                    bytes += input.getAudio().size();
                }
                case STOP -> {
                    VOICE_STOPPED.add(start.getStreamId());
                    answer();
                }
                default -> {
                }
            }
        }

        private void answer() {
            long utteranceEnd = System.currentTimeMillis();
            switch (start.getProfile()) {
                case "hang" -> {
                    return;
                }
                case "no-speech" -> {
                    out.onNext(error("no_speech", "no speech was heard"));
                    out.onCompleted();
                    return;
                }
                case "big-answer" -> {
                    for (int i = 0; i < 4; i++) {
                        out.onNext(audio(i, 24_000, "part " + i));
                    }
                    out.onNext(voiceCompleted());
                    out.onCompleted();
                    return;
                }
                default -> {
                }
            }
            out.onNext(ChatEvent.newBuilder().setSpeech(dev.hearth.proto.v1.SpeechActivity.newBuilder()
                    .setStarted(false).setAtMs(bytes / 32)).build());
            out.onNext(ChatEvent.newBuilder().setTranscript(dev.hearth.proto.v1.TranscriptEvent.newBuilder()
                    .setText(heard(bytes)).setFinal(true).setTurn(0)
                    .setLanguage(start.getLanguage().isEmpty() ? "en" : start.getLanguage())
                    .addWords(word("heard", 0, 200)).addWords(word(String.valueOf(bytes), 200, 500))
                    .addWords(word("bytes", 500, 700))).build());
            out.onNext(text("You said "));
            out.onNext(text(bytes + " bytes."));
            out.onNext(audio(0, ANSWER_AUDIO_SIZES[0], "You said"));
            out.onNext(audio(1, ANSWER_AUDIO_SIZES[1], bytes + " bytes."));
            Runnable rest = () -> {
                out.onNext(ChatEvent.newBuilder().setVoiceTurn(dev.hearth.proto.v1.VoiceTurn.newBuilder()
                        .setTurn(0).setTranscript(heard(bytes)).setAnswerText("You said " + bytes + " bytes.")
                        .setSpokenText("You said " + bytes + " bytes.")
                        .setLedger(dev.hearth.proto.v1.VoiceLedger.newBuilder().setUtteranceEndEpochMs(utteranceEnd)
                                .setFinalTranscriptMs(12).setFirstTokenMs(30).setFirstAudioSynthesizedMs(45)
                                .setFirstAudioSentMs(46).setSttComputeMs(9))).build());
                out.onNext(voiceCompleted());
                out.onCompleted();
            };
            if (start.getProfile().equals("held")) {
                HELD.put(start.getStreamId(), () -> {
                    synchronized (this) {
                        rest.run();
                    }
                });
            } else {
                rest.run();
            }
        }

        private ChatEvent audio(int index, int size, String text) {
            int rate = start.getOutputSampleRate() == 0 ? 22050 : start.getOutputSampleRate();
            return ChatEvent.newBuilder().setAudio(dev.hearth.proto.v1.AudioEvent.newBuilder()
                    .setCodec("pcm_s16le").setSampleRate(rate).setChannels(1)
                    .setData(com.google.protobuf.ByteString.copyFrom(answerAudio(index, size)))
                    .setText(text).setDurationMs(size * 1000 / (2 * rate)).setTurn(0)).build();
        }

        private static dev.hearth.proto.v1.WordTiming word(String word, int start, int end) {
            return dev.hearth.proto.v1.WordTiming.newBuilder().setWord(word).setStartMs(start).setEndMs(end).build();
        }

        private static ChatEvent error(String code, String message) {
            return ChatEvent.newBuilder().setError(ErrorInfo.newBuilder().setCode(code).setMessage(message)).build();
        }

        private static ChatEvent voiceCompleted() {
            return ChatEvent.newBuilder().setCompleted(ChatCompleted.newBuilder()
                    .setFinishReason(FinishReason.FINISH_REASON_STOP)
                    .setUsage(Usage.newBuilder().setPromptTokens(4).setCompletionTokens(6))
                    .setProvider("fake").setModel("fake-1").setConversationId("conv-voice")).build();
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }

    @Override
    public void stop() {
        // the server lives as long as the test JVM (see ensureStarted)
    }
}
