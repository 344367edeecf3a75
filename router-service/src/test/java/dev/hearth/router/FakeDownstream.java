package dev.hearth.router;

import dev.hearth.proto.v1.AppendMessagesRequest;
import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.CallToolResponse;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ListToolsResponse;
import dev.hearth.proto.v1.ToolCallDelta;
import dev.hearth.proto.v1.ToolServiceGrpc;
import dev.hearth.proto.v1.ToolSpec;
import dev.hearth.proto.v1.AppendMessagesResponse;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ConfigServiceGrpc;
import dev.hearth.proto.v1.ConfigVersion;
import dev.hearth.proto.v1.GetConfigVersionRequest;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.GetHistoryRequest;
import dev.hearth.proto.v1.GetHistoryResponse;
import dev.hearth.proto.v1.GetProfileRequest;
import dev.hearth.proto.v1.HistoryServiceGrpc;
import dev.hearth.proto.v1.LlmAdapterGrpc;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.proto.v1.TextDelta;
import dev.hearth.proto.v1.Usage;
import dev.hearth.proto.v1.VoiceSettings;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import dev.hearth.router.voice.FakeSpeechToText;
import dev.hearth.router.voice.FakeTextToSpeech;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fake mcp-config-service (profiles, history, tools) and llm-adapter-service on one random port,
 * speaking the real hearth.v1 gRPC contracts. The adapter's answer depends on the user's last message:
 * {@code slow-first} never starts in time, {@code stall} stops after one token, {@code unavailable}
 * fails like a provider's 429, {@code endless} streams until cancelled; else "One two three".
 * Tool-calling scripts (the round is the number of tool results after the user's message):
 * {@code use-clock} calls {@code current_time} then answers "It is " + the result; {@code bad-args}
 * calls it with a number for a timezone, {@code unknown-tool} calls {@code launch_rockets},
 * {@code slow-tool} and {@code hang-cancel} call {@code hang} (never answers), then each answers
 * "Recovered"; {@code loop} calls {@code current_time} in every round.
 * Profiles: {@code default} (system prompt "Be brief.") and {@code bare} (no system prompt), both
 * with {@link #PROFILE_PARAMS}; {@code voice} (voice settings pocketsphinx / espeak en-us / en); {@code tools} (allowed_tools "*", catalog {@code current_time},
 * {@code hang}). History keeps each conversation's owner and refuses other users like mcp-config.
 * As a test resource it only reserves the port: the tests start the server from the application's
 * class loader ({@link #ensureStarted}), where the gRPC classes match the server's.
 */
public class FakeDownstream implements QuarkusTestResourceLifecycleManager {

    public static final List<String> ANSWER = List.of("One", " two", " three");
    public static final ConcurrentLinkedQueue<GenerateRequest> GENERATE_REQUESTS = new ConcurrentLinkedQueue<>();
    public static final Map<String, List<StoredMessage>> HISTORY = new ConcurrentHashMap<>();
    /** Every history call, so a test can prove that none was made for its turn. */
    public static final ConcurrentLinkedQueue<AppendMessagesRequest> APPEND_REQUESTS = new ConcurrentLinkedQueue<>();
    public static final ConcurrentLinkedQueue<GetHistoryRequest> GET_HISTORY_REQUESTS = new ConcurrentLinkedQueue<>();
    /** The sampling parameters of the fake profiles. */
    public static final GenerationParams PROFILE_PARAMS = GenerationParams.newBuilder()
            .setTemperature(0.7).setTopP(0.9).setMaxTokens(256).addStop("END").build();
    public static final AtomicInteger GENERATE_CANCELLED = new AtomicInteger();
    public static final Map<String, String> OWNERS = new ConcurrentHashMap<>();
    public static final ConcurrentLinkedQueue<ListToolsRequest> LIST_TOOLS_REQUESTS = new ConcurrentLinkedQueue<>();
    public static final ConcurrentLinkedQueue<CallToolRequest> CALL_TOOL_REQUESTS = new ConcurrentLinkedQueue<>();
    /** {@code hang} calls the router cancelled (timeout or turn cancelled). */
    public static final AtomicInteger HANG_CANCELLED = new AtomicInteger();
    public static final String CLOCK_SCHEMA = "{\"type\":\"object\",\"properties\":{\"timezone\":{\"type\":\"string\"}},"
            + "\"additionalProperties\":false}";

    /**
     * Editable profiles (config-change tests): name → model of their one target, served at
     * {@link #CONFIG_VERSION}, which {@code GetConfigVersion} answers too.
     */
    public static final Map<String, String> EDITABLE_MODELS = new ConcurrentHashMap<>();
    public static final AtomicLong CONFIG_VERSION = new AtomicLong(1);

    /**
     * Spoken answers (voice tests): a user message starting with {@code story} is answered with
     * {@link #STORY_START}, then — once the test completes the gate registered under the message in
     * {@link #GATES}, at once when there is none — {@link #STORY_END}; {@code long answer} is
     * {@link #LONG_ANSWER} at once.
     */
    public static final String STORY_START = "Once upon a time there was a lamp. It glowed all night long. ";
    public static final String STORY_END = "The end.";
    public static final String LONG_ANSWER = "First sentence has five words. Second sentence has five words. "
            + "Third sentence has five words. Fourth sentence has five words.";
    public static final Map<String, CompletableFuture<Void>> GATES = new ConcurrentHashMap<>();

    private static final int PORT = reservePort();
    private static Server server;
    private static ScheduledExecutorService timer;

    @Override
    public Map<String, String> start() {
        return Map.ofEntries(
                Map.entry("hearth.config.host", "127.0.0.1"), Map.entry("hearth.config.port", String.valueOf(PORT)),
                Map.entry("hearth.llm-adapter.host", "127.0.0.1"), Map.entry("hearth.llm-adapter.port", String.valueOf(PORT)),
                Map.entry("hearth.stt.host", "127.0.0.1"), Map.entry("hearth.stt.port", String.valueOf(PORT)),
                Map.entry("hearth.tts.host", "127.0.0.1"), Map.entry("hearth.tts.port", String.valueOf(PORT)),
                Map.entry("hearth.router.first-token-timeout", "700ms"),
                Map.entry("hearth.router.idle-timeout", "700ms"),
                Map.entry("hearth.router.tools.call-timeout", "1500ms"),
                Map.entry("hearth.router.tools.max-rounds", "2"));
    }

    @Override
    public void stop() {
        // the server lives as long as the test JVM
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
                .addService(new Config())
                .addService(new History())
                .addService(new Llm())
                .addService(new Tools())
                .addService(new FakeSpeechToText())
                .addService(new FakeTextToSpeech())
                .addService(new HealthGrpc.HealthImplBase() {
                    @Override
                    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> observer) {
                        observer.onNext(HealthCheckResponse.newBuilder()
                                .setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
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

    static final class Config extends ConfigServiceGrpc.ConfigServiceImplBase {
        @Override
        public void getProfile(GetProfileRequest request, StreamObserver<Profile> observer) {
            String name = request.getName().isEmpty() ? "default" : request.getName();
            String editable = EDITABLE_MODELS.get(name);
            if (editable != null) {
                observer.onNext(Profile.newBuilder().setName(name).setVersion(CONFIG_VERSION.get())
                        .addTargets(ProfileTarget.newBuilder().setModel(editable).setProvider(ProviderRef.newBuilder()
                                .setName("fake-provider").setDialect("openai").setBaseUrl("http://127.0.0.1:1/v1")))
                        .build());
                observer.onCompleted();
                return;
            }
            if (name.equals("tools")) {
                observer.onNext(Profile.newBuilder().setName(name).setVersion(1).addAllowedTools("*")
                        .addTargets(ProfileTarget.newBuilder().setModel("fake-model").setProvider(ProviderRef.newBuilder()
                                .setName("fake-provider").setDialect("openai").setBaseUrl("http://127.0.0.1:1/v1")))
                        .build());
                observer.onCompleted();
                return;
            }
            if (name.equals("voice")) {
                observer.onNext(Profile.newBuilder().setName(name).setVersion(1)
                        .setVoice(VoiceSettings.newBuilder().setSttEngine("pocketsphinx").setTtsEngine("espeak")
                                .setTtsVoice("en-us").setLanguage("en"))
                        .addTargets(ProfileTarget.newBuilder().setModel("fake-model").setProvider(ProviderRef.newBuilder()
                                .setName("fake-provider").setDialect("openai").setBaseUrl("http://127.0.0.1:1/v1")))
                        .build());
                observer.onCompleted();
                return;
            }
            if (!name.equals("default") && !name.equals("bare")) {
                observer.onError(Status.NOT_FOUND.withDescription("no profile named '" + request.getName() + "'")
                        .asRuntimeException());
                return;
            }
            observer.onNext(Profile.newBuilder().setName(name)
                    .setSystemPrompt(name.equals("default") ? "Be brief." : "")
                    .setParams(PROFILE_PARAMS)
                    .addTargets(ProfileTarget.newBuilder().setModel("fake-model").setProvider(ProviderRef.newBuilder()
                            .setName("fake-provider").setDialect("openai").setBaseUrl("http://127.0.0.1:1/v1")))
                    .build());
            observer.onCompleted();
        }

        @Override
        public void getConfigVersion(GetConfigVersionRequest request, StreamObserver<ConfigVersion> observer) {
            observer.onNext(ConfigVersion.newBuilder().setVersion(CONFIG_VERSION.get()).build());
            observer.onCompleted();
        }
    }

    static final class History extends HistoryServiceGrpc.HistoryServiceImplBase {
        @Override
        public void appendMessages(AppendMessagesRequest request, StreamObserver<AppendMessagesResponse> observer) {
            APPEND_REQUESTS.add(request);
            String owner = OWNERS.putIfAbsent(request.getConversationId(), request.getUserId());
            if (owner != null && !owner.equals(request.getUserId())) {
                observer.onError(Status.PERMISSION_DENIED.withDescription("conversation " + request.getConversationId()
                        + " belongs to another user").asRuntimeException());
                return;
            }
            if (request.getMessagesCount() > 0) {
                HISTORY.computeIfAbsent(request.getConversationId(), id -> new CopyOnWriteArrayList<>())
                        .addAll(request.getMessagesList());
            }
            observer.onNext(AppendMessagesResponse.newBuilder().setConversationId(request.getConversationId()).build());
            observer.onCompleted();
        }

        @Override
        public void getHistory(GetHistoryRequest request, StreamObserver<GetHistoryResponse> observer) {
            GET_HISTORY_REQUESTS.add(request);
            List<StoredMessage> messages = HISTORY.get(request.getConversationId());
            if (messages == null) {
                observer.onError(Status.NOT_FOUND.asRuntimeException());
                return;
            }
            int from = request.getLimit() > 0 ? Math.max(0, messages.size() - request.getLimit()) : 0;
            observer.onNext(GetHistoryResponse.newBuilder().addAllMessages(messages.subList(from, messages.size())).build());
            observer.onCompleted();
        }
    }

    static final class Llm extends LlmAdapterGrpc.LlmAdapterImplBase {
        @Override
        public void generate(GenerateRequest request, StreamObserver<GenerateEvent> plain) {
            GENERATE_REQUESTS.add(request);
            ServerCallStreamObserver<GenerateEvent> out = (ServerCallStreamObserver<GenerateEvent>) plain;
            out.setOnCancelHandler(GENERATE_CANCELLED::incrementAndGet);
            List<ChatMessage> messages = request.getMessagesList();
            String last = messages.get(messages.size() - 1).getContent();
            if (scripted(request, out)) {
                return;
            }
            switch (last) {
                case "slow-first" -> timer.schedule(() -> send(out, ANSWER), 5, TimeUnit.SECONDS);
                case "stall" -> out.onNext(text("One"));
                case "unavailable" -> {
                    Metadata trailers = new Metadata();
                    trailers.put(Metadata.Key.of("retry-after-ms", Metadata.ASCII_STRING_MARSHALLER), "2000");
                    out.onError(Status.RESOURCE_EXHAUSTED.withDescription("rate limited by provider")
                            .asRuntimeException(trailers));
                }
                case "endless" -> tick(out, 0);
                case "long answer" -> send(out, List.of(LONG_ANSWER));
                default -> {
                    if (last.startsWith("story")) {
                        out.onNext(text(STORY_START));
                        GATES.getOrDefault(last, CompletableFuture.completedFuture(null))
                                .thenRun(() -> send(out, List.of(STORY_END)));
                    } else {
                        send(out, ANSWER);
                    }
                }
            }
        }

        /** The tool-calling scripts; false when the user's message names none. */
        private static boolean scripted(GenerateRequest request, ServerCallStreamObserver<GenerateEvent> out) {
            List<ChatMessage> messages = request.getMessagesList();
            int lastUser = 0;
            for (int i = 0; i < messages.size(); i++) {
                if (messages.get(i).getRole() == Role.ROLE_USER) {
                    lastUser = i;
                }
            }
            String script = messages.get(lastUser).getContent();
            List<ChatMessage> results = messages.subList(lastUser + 1, messages.size()).stream()
                    .filter(m -> m.getRole() == Role.ROLE_TOOL).toList();
            int round = results.size();
            switch (script) {
                case "use-clock" -> {
                    if (round == 0) {
                        callTool(out, "call-clock", "current_time", "{\"timezone\":", "\"Europe/Paris\"}");
                    } else {
                        answer(out, List.of("It is ", results.get(0).getContent()), 11, 3);
                    }
                }
                case "bad-args" -> {
                    if (round == 0) {
                        callTool(out, "call-bad", "current_time", "{\"timezone\":", "42}");
                    } else {
                        answer(out, List.of("Recovered"), 11, 1);
                    }
                }
                case "unknown-tool" -> {
                    if (round == 0) {
                        callTool(out, "call-rockets", "launch_rockets", "{}", "");
                    } else {
                        answer(out, List.of("Recovered"), 11, 1);
                    }
                }
                case "slow-tool", "hang-cancel" -> {
                    if (round == 0) {
                        callTool(out, "", "hang", "", ""); // no id, no arguments: the router fills both in
                    } else {
                        answer(out, List.of("Recovered"), 11, 1);
                    }
                }
                case "loop" -> callTool(out, "call-loop-" + round, "current_time", "{}", "");
                default -> {
                    return false;
                }
            }
            return true;
        }

        private static void callTool(ServerCallStreamObserver<GenerateEvent> out, String id, String name, String first,
                String second) {
            out.onNext(text("Let me check. "));
            out.onNext(GenerateEvent.newBuilder().setToolCall(ToolCallDelta.newBuilder().setIndex(0).setId(id)
                    .setName(name).setArgumentsFragment(first)).build());
            out.onNext(GenerateEvent.newBuilder().setToolCall(ToolCallDelta.newBuilder().setIndex(0)
                    .setArgumentsFragment(second)).build());
            out.onNext(GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                    .setFinishReason(FinishReason.FINISH_REASON_TOOL_CALLS).setProvider("fake-provider").setModel("fake-model-v2")
                    .setUsage(Usage.newBuilder().setPromptTokens(5).setCompletionTokens(2))).build());
            out.onCompleted();
        }

        private static void answer(ServerCallStreamObserver<GenerateEvent> out, List<String> tokens, int prompt,
                int completion) {
            tokens.forEach(t -> out.onNext(text(t)));
            out.onNext(GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                    .setFinishReason(FinishReason.FINISH_REASON_STOP).setProvider("fake-provider").setModel("fake-model-v2")
                    .setUsage(Usage.newBuilder().setPromptTokens(prompt).setCompletionTokens(completion))).build());
            out.onCompleted();
        }

        private static void tick(ServerCallStreamObserver<GenerateEvent> out, int i) {
            if (out.isCancelled()) {
                return;
            }
            out.onNext(text("w" + i + " "));
            timer.schedule(() -> tick(out, i + 1), 20, TimeUnit.MILLISECONDS);
        }

        private static void send(ServerCallStreamObserver<GenerateEvent> out, List<String> tokens) {
            if (out.isCancelled()) {
                return;
            }
            tokens.forEach(t -> out.onNext(text(t)));
            out.onNext(GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                    .setFinishReason(FinishReason.FINISH_REASON_STOP).setProvider("fake-provider").setModel("fake-model-v2")
                    .setUsage(Usage.newBuilder().setPromptTokens(7).setCompletionTokens(tokens.size()))).build());
            out.onCompleted();
        }

        private static GenerateEvent text(String t) {
            return GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(t)).build();
        }
    }

    static final class Tools extends ToolServiceGrpc.ToolServiceImplBase {
        @Override
        public void listTools(ListToolsRequest request, StreamObserver<ListToolsResponse> observer) {
            LIST_TOOLS_REQUESTS.add(request);
            observer.onNext(ListToolsResponse.newBuilder().setVersion(1)
                    .addTools(ToolSpec.newBuilder().setName("current_time").setDescription("The current time")
                            .setInputSchemaJson(CLOCK_SCHEMA))
                    .addTools(ToolSpec.newBuilder().setName("hang").setDescription("Never answers")
                            .setInputSchemaJson("{\"type\":\"object\"}"))
                    .build());
            observer.onCompleted();
        }

        @Override
        public void callTool(CallToolRequest request, StreamObserver<CallToolResponse> plain) {
            CALL_TOOL_REQUESTS.add(request);
            ServerCallStreamObserver<CallToolResponse> out = (ServerCallStreamObserver<CallToolResponse>) plain;
            switch (request.getName()) {
                case "current_time" -> {
                    out.onNext(CallToolResponse.newBuilder()
                            .setResultJson("{\"time\":\"12:00\",\"arguments\":" + request.getArgumentsJson() + "}").build());
                    out.onCompleted();
                }
                case "hang" -> out.setOnCancelHandler(HANG_CANCELLED::incrementAndGet);
                default -> out.onError(Status.NOT_FOUND.withDescription("no tool " + request.getName()).asRuntimeException());
            }
        }
    }

    static boolean isUser(StoredMessage m) {
        return m.getMessage().getRole() == Role.ROLE_USER;
    }
}
