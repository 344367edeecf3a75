package dev.hearth.llm.provider.anthropic;

import dev.hearth.llm.testsupport.FakeAnthropicUpstream;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.Role;

/** Requests to the fake Anthropic upstream; {@code model} selects the fake's scripted reply. */
final class AnthropicRequests {

    static final String PROVIDER_NAME = "fake-anthropic";

    private AnthropicRequests() {
    }

    static GenerateRequest.Builder anthropic(FakeAnthropicUpstream upstream, String model) {
        return GenerateRequest.newBuilder()
                .setRequestId("req-" + model)
                .setProvider(ProviderRef.newBuilder()
                        .setName(PROVIDER_NAME)
                        .setDialect("anthropic")
                        .setBaseUrl(upstream.baseUrl())
                        .setApiKeyEnv(FakeAnthropicUpstream.API_KEY_ENV))
                .setModel(model)
                .addMessages(Requests.user("Hello there"));
    }

    static ChatMessage assistant(String text) {
        return ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).setContent(text).build();
    }
}
