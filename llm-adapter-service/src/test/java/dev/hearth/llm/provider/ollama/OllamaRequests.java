package dev.hearth.llm.provider.ollama;

import dev.hearth.llm.testsupport.FakeOllamaUpstream;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;

/** Requests to the fake Ollama; the model name selects the fake's scripted reply. */
final class OllamaRequests {

    static final String PROVIDER_NAME = "fake-ollama";

    private OllamaRequests() {
    }

    static GenerateRequest.Builder ollama(FakeOllamaUpstream upstream, String model) {
        return GenerateRequest.newBuilder()
                .setRequestId("req-" + model)
                .setProvider(ProviderRef.newBuilder()
                        .setName(PROVIDER_NAME)
                        .setDialect("ollama")
                        .setBaseUrl(upstream.baseUrl())
                        .setApiKeyEnv(FakeOllamaUpstream.API_KEY_ENV))
                .setModel(model)
                .addMessages(Requests.user("Hello there"));
    }
}
