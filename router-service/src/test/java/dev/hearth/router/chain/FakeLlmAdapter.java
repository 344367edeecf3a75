package dev.hearth.router.chain;

import dev.hearth.proto.v1.AppendMessagesRequest;
import dev.hearth.proto.v1.AppendMessagesResponse;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ConfigServiceGrpc;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.GetHistoryRequest;
import dev.hearth.proto.v1.GetHistoryResponse;
import dev.hearth.proto.v1.GetProfileRequest;
import dev.hearth.proto.v1.HistoryServiceGrpc;
import dev.hearth.proto.v1.LlmAdapterGrpc;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.TextDelta;
import dev.hearth.proto.v1.ToolCallDelta;
import dev.hearth.proto.v1.Usage;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fake llm-adapter-service (plus the profiles and history of mcp-config-service) on a random port,
 * speaking the real hearth.v1 gRPC contracts. Every model of a profile follows a script, one
 * {@link Step} per call: tokens of {@link #ANSWER}, then the end, a failure status (with a
 * {@code retry-after-ms} trailer), a stall or nothing at all. A call with
 * {@code continue_final_message} continues {@link #ANSWER} after the given prefix, restarting a
 * step's number of words before its end as models asked to continue often do.
 * <p>
 * As a test resource it only reserves the port: tests start the server from the application's class
 * loader ({@link #ensureStarted}), where the gRPC classes are the server's (as {@code FakeDownstream}).
 */
public class FakeLlmAdapter implements QuarkusTestResourceLifecycleManager {

    /** Every model writes this answer, one word (with its leading space) per token; 🔥 is two chars, one code point. */
    public static final String ANSWER = "Hearth keeps the house warm 🔥 and the lights low. It listens on the LAN, "
            + "answers quickly, and never sends your words to the cloud unless you ask. When the evening comes "
            + "the heating follows the weather, the blinds close, and the café lamp in the kitchen glows softly. "
            + "Ask it about tomorrow and it will tell you whether to bring an umbrella, which windows are open, "
            + "and how much energy the house used today. Everything it knows stays at home.";
    public static final List<String> TOKENS = tokens(ANSWER);

    /** Every generate call received, in order. */
    public static final ConcurrentLinkedQueue<GenerateRequest> REQUESTS = new ConcurrentLinkedQueue<>();
    /** When each generate call arrived (System.nanoTime), by request id and model. */
    public static final Map<String, List<Long>> ARRIVALS = new ConcurrentHashMap<>();
    public static final Map<String, Profile> PROFILES = new ConcurrentHashMap<>();
    private static final Map<String, Script> SCRIPTS = new ConcurrentHashMap<>();

    private static final int PORT = reservePort();
    private static Server server;
    private static ScheduledExecutorService timer;

    @Override
    public Map<String, String> start() {
        return Map.of(
                "hearth.config.host", "127.0.0.1", "hearth.config.port", String.valueOf(PORT),
                "hearth.llm-adapter.host", "127.0.0.1", "hearth.llm-adapter.port", String.valueOf(PORT));
    }

    @Override
    public void stop() {
        // the server lives as long as the test JVM
    }

    /** A profile of these targets, each model following its script (model names must be unique). */
    public static void profile(String name, Target... targets) {
        Profile.Builder profile = Profile.newBuilder().setName(name);
        for (Target target : targets) {
            profile.addTargets(ProfileTarget.newBuilder().setModel(target.model())
                    .setProvider(ProviderRef.newBuilder().setName(target.provider()).setDialect("openai")
                            .setBaseUrl("http://127.0.0.1:1/v1")));
            script(target.model(), target.steps());
        }
        PROFILES.put(name, profile.build());
    }

    /** Replaces a model's script (its call count starts again). */
    public static void script(String model, Step... steps) {
        SCRIPTS.put(model, new Script(List.of(steps)));
    }

    public static List<GenerateRequest> requests(String requestId, String model) {
        return REQUESTS.stream().filter(r -> r.getRequestId().equals(requestId) && r.getModel().equals(model)).toList();
    }

    public static long calls(String model) {
        return REQUESTS.stream().filter(r -> r.getModel().equals(model)).count();
    }

    public record Target(String provider, String model, Step... steps) {
    }

    /**
     * One call's behaviour: {@code tokens} tokens (all when negative), a tool call's fragments when
     * {@code toolCall}, then {@code failure} if set, else nothing more when {@code stall}, else DONE.
     */
    public record Step(int tokens, Status.Code failure, String description, long retryAfterMs, long firstTokenDelayMs,
            boolean stall, int repeatWords, boolean toolCall) {

        public static Step answer() {
            return new Step(-1, null, null, -1, 0, false, 0, false);
        }

        public static Step failAfter(int tokens, Status.Code code, String description) {
            return new Step(tokens, code, description, -1, 0, false, 0, false);
        }

        public static Step stallAfter(int tokens) {
            return new Step(tokens, null, null, -1, 0, true, 0, false);
        }

        /** Accepts the call and never says a word. */
        public static Step hang() {
            return stallAfter(0);
        }

        /** No text: a call of the weather tool in two fragments, then DONE (TOOL_CALLS). */
        public static Step toolCallOnly() {
            return new Step(0, null, null, -1, 0, false, 0, true);
        }

        public Step retryAfter(long ms) {
            return new Step(tokens, failure, description, ms, firstTokenDelayMs, stall, repeatWords, toolCall);
        }

        public Step firstTokenAfter(long ms) {
            return new Step(tokens, failure, description, retryAfterMs, ms, stall, repeatWords, toolCall);
        }

        /** When continuing, start again this many words before the end of the prefix. */
        public Step repeatingWords(int words) {
            return new Step(tokens, failure, description, retryAfterMs, firstTokenDelayMs, stall, words, toolCall);
        }

        public Step withToolCall() {
            return new Step(tokens, failure, description, retryAfterMs, firstTokenDelayMs, stall, repeatWords, true);
        }
    }

    private static final class Script {
        private final List<Step> steps;
        private final AtomicInteger calls = new AtomicInteger();

        Script(List<Step> steps) {
            this.steps = steps;
        }

        /** The step of the next call; the last one repeats. */
        Step next() {
            return steps.get(Math.min(calls.getAndIncrement(), steps.size() - 1));
        }
    }

    public static List<String> tokens(String text) {
        return Arrays.stream(text.split("(?=\\s)")).filter(t -> !t.isEmpty()).toList();
    }

    /** The first {@code n} tokens of the answer as one string. */
    public static String firstTokens(int n) {
        return String.join("", TOKENS.subList(0, n));
    }

    private static int reservePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
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
                .addService(new Config()).addService(new History()).addService(new Llm()).build();
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

    static final class Config extends ConfigServiceGrpc.ConfigServiceImplBase {
        @Override
        public void getProfile(GetProfileRequest request, StreamObserver<Profile> observer) {
            Profile profile = PROFILES.get(request.getName());
            if (profile == null) {
                observer.onError(Status.NOT_FOUND.withDescription("no profile named '" + request.getName() + "'")
                        .asRuntimeException());
                return;
            }
            observer.onNext(profile);
            observer.onCompleted();
        }
    }

    static final class History extends HistoryServiceGrpc.HistoryServiceImplBase {
        @Override
        public void appendMessages(AppendMessagesRequest request, StreamObserver<AppendMessagesResponse> observer) {
            observer.onNext(AppendMessagesResponse.newBuilder().setConversationId(request.getConversationId()).build());
            observer.onCompleted();
        }

        @Override
        public void getHistory(GetHistoryRequest request, StreamObserver<GetHistoryResponse> observer) {
            observer.onError(Status.NOT_FOUND.asRuntimeException());
        }
    }

    static final class Llm extends LlmAdapterGrpc.LlmAdapterImplBase {
        @Override
        public void generate(GenerateRequest request, StreamObserver<GenerateEvent> plain) {
            REQUESTS.add(request);
            ARRIVALS.computeIfAbsent(request.getRequestId() + "/" + request.getModel(),
                    k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(System.nanoTime());
            ServerCallStreamObserver<GenerateEvent> out = (ServerCallStreamObserver<GenerateEvent>) plain;
            out.setOnCancelHandler(() -> { });
            Script script = SCRIPTS.get(request.getModel());
            if (script == null) {
                out.onError(Status.NOT_FOUND.withDescription("no model " + request.getModel()).asRuntimeException());
                return;
            }
            Step step = script.next();
            String prefix = "";
            if (request.getContinueFinalMessage()) {
                ChatMessage last = request.getMessages(request.getMessagesCount() - 1);
                prefix = last.getRole() == Role.ROLE_ASSISTANT ? last.getContent() : "";
                if (!ANSWER.startsWith(prefix)) {
                    out.onError(Status.INVALID_ARGUMENT.withDescription("provider 'fake' answered HTTP 400: "
                            + "the prefix is not the start of its answer").asRuntimeException());
                    return;
                }
            }
            List<String> tokens = tokens(ANSWER.substring(restartAt(prefix, step.repeatWords())));
            if (step.firstTokenDelayMs() > 0) {
                timer.schedule(() -> play(out, step, tokens), step.firstTokenDelayMs(), TimeUnit.MILLISECONDS);
            } else {
                play(out, step, tokens);
            }
        }

        /** Where a continuation starts: the end of the prefix, or the start of one of its last words. */
        private static int restartAt(String prefix, int words) {
            int at = prefix.length();
            for (int i = 0; i < words && at > 0; i++) {
                int space = prefix.lastIndexOf(' ', at - 2);
                at = space < 0 ? 0 : space + 1;
            }
            return at;
        }

        private static void play(ServerCallStreamObserver<GenerateEvent> out, Step step, List<String> tokens) {
            if (out.isCancelled()) {
                return;
            }
            int count = step.tokens() < 0 ? tokens.size() : Math.min(step.tokens(), tokens.size());
            tokens.subList(0, count).forEach(t -> out.onNext(
                    GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(t)).build()));
            if (step.toolCall()) {
                out.onNext(GenerateEvent.newBuilder().setToolCall(ToolCallDelta.newBuilder().setIndex(0)
                        .setId("call-1").setName("weather").setArgumentsFragment("{\"city\":")).build());
                out.onNext(GenerateEvent.newBuilder().setToolCall(ToolCallDelta.newBuilder().setIndex(0)
                        .setArgumentsFragment("\"Paris\"}")).build());
            }
            if (step.failure() != null) {
                Metadata trailers = new Metadata();
                if (step.retryAfterMs() >= 0) {
                    trailers.put(Metadata.Key.of("retry-after-ms", Metadata.ASCII_STRING_MARSHALLER),
                            Long.toString(step.retryAfterMs()));
                }
                out.onError(Status.fromCode(step.failure()).withDescription(step.description()).asRuntimeException(trailers));
            } else if (!step.stall()) {
                out.onNext(GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                        .setFinishReason(step.toolCall() ? FinishReason.FINISH_REASON_TOOL_CALLS
                                : FinishReason.FINISH_REASON_STOP)
                        .setUsage(Usage.newBuilder().setPromptTokens(11).setCompletionTokens(count))).build());
                out.onCompleted();
            }
        }
    }
}
