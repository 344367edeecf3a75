package dev.hearth.llm.testsupport;

import java.util.List;
import java.util.stream.Collectors;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.Role;

/** Builders for requests and readers for the events tests get back. */
public final class Requests {

    public static final String FAKE_PROVIDER_NAME = "fake-openai";

    private Requests() {
    }

    /** A request to the fake upstream; {@code model} selects the fake's scripted reply. */
    public static GenerateRequest.Builder openAi(FakeOpenAiUpstream upstream, String model) {
        return GenerateRequest.newBuilder()
                .setRequestId("req-" + model)
                .setProvider(ProviderRef.newBuilder()
                        .setName(FAKE_PROVIDER_NAME)
                        .setDialect("openai")
                        .setBaseUrl(upstream.baseUrl())
                        .setApiKeyEnv(FakeOpenAiUpstream.API_KEY_ENV))
                .setModel(model)
                .addMessages(user("Hello there"));
    }

    public static GenerateRequest.Builder demo(String userText) {
        return GenerateRequest.newBuilder()
                .setRequestId("req-demo")
                .setProvider(ProviderRef.newBuilder().setName("my-demo").setDialect("demo")
                        .putOptions("token_delay_ms", "0"))
                .addMessages(user(userText));
    }

    public static ChatMessage user(String text) {
        return ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent(text).build();
    }

    public static ChatMessage system(String text) {
        return ChatMessage.newBuilder().setRole(Role.ROLE_SYSTEM).setContent(text).build();
    }

    public static List<String> texts(List<GenerateEvent> events) {
        return events.stream().filter(GenerateEvent::hasText).map(e -> e.getText().getText()).toList();
    }

    public static String text(List<GenerateEvent> events) {
        return String.join("", texts(events));
    }

    /** The last event, checked to be the one and only GenerateDone. */
    public static GenerateDone done(List<GenerateEvent> events) {
        long count = events.stream().filter(GenerateEvent::hasDone).count();
        if (count != 1 || !events.get(events.size() - 1).hasDone()) {
            throw new AssertionError("expected exactly one GenerateDone, last; got "
                    + events.stream().map(e -> e.getEventCase().name()).collect(Collectors.joining(", ")));
        }
        return events.get(events.size() - 1).getDone();
    }
}
