package dev.hearth.llm.provider.gemini;

import dev.hearth.llm.testsupport.FakeGeminiUpstream;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.Role;

/** Requests to the fake Gemini upstream; {@code model} selects the fake's scripted reply. */
final class GeminiRequests {

    static final String PROVIDER_NAME = "fake-gemini";

    private GeminiRequests() {
    }

    static GenerateRequest.Builder gemini(FakeGeminiUpstream upstream, String model) {
        return GenerateRequest.newBuilder()
                .setRequestId("req-" + model)
                .setProvider(ProviderRef.newBuilder()
                        .setName(PROVIDER_NAME)
                        .setDialect("gemini")
                        .setBaseUrl(upstream.baseUrl())
                        .setApiKeyEnv(FakeGeminiUpstream.API_KEY_ENV))
                .setModel(model)
                .addMessages(Requests.user("Hello there"));
    }

    static ChatMessage assistant(String text) {
        return ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).setContent(text).build();
    }
}
