package dev.hearth.llm.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.hearth.llm.testsupport.FakeOpenAiUpstream;
import dev.hearth.llm.testsupport.FakeOpenAiUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeOpenAiUpstream;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Requests the adapter cannot serve fail fast with a status that says why, before any provider call. */
@QuarkusTest
@WithTestResource(value = FakeOpenAiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class RequestValidationTest {

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeOpenAiUpstream
    FakeOpenAiUpstream upstream;

    @Test
    void anUnknownDialectIsUnimplemented() {
        GenerateRequest.Builder request = Requests.openAi(upstream, "unknown-dialect");
        request.getProviderBuilder().setDialect("anthropic-v9");

        StatusRuntimeException e = fails(request.build());

        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("anthropic-v9").contains("anthropic, demo, gemini, ollama, openai");
    }

    @Test
    void theDialectNameIgnoresCase() {
        GenerateRequest.Builder request = Requests.demo("hi");
        request.getProviderBuilder().setDialect("Demo");

        assertEquals("demo", Requests.done(llm.generate(request.build()).collect().asList()
                .await().atMost(Duration.ofSeconds(10))).getProvider());
    }

    @Test
    void aMissingDialectIsInvalidArgument() {
        GenerateRequest.Builder request = Requests.demo("hi");
        request.getProviderBuilder().clearDialect();

        assertEquals(Status.Code.INVALID_ARGUMENT, fails(request.build()).getStatus().getCode());
    }

    @Test
    void noMessagesIsInvalidArgument() {
        StatusRuntimeException e = fails(Requests.openAi(upstream, "m").clearMessages().build());

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("messages");
    }

    @Test
    void noModelIsInvalidArgumentForOpenAi() {
        StatusRuntimeException e = fails(Requests.openAi(upstream, "").build());

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("model");
    }

    @Test
    void zeroMaxTokensIsInvalidArgument() {
        GenerateRequest request = Requests.demo("hi").setParams(GenerationParams.newBuilder().setMaxTokens(0)).build();

        assertEquals(Status.Code.INVALID_ARGUMENT, fails(request).getStatus().getCode());
    }

    @Test
    void aMissingOrBadBaseUrlIsInvalidArgument() {
        GenerateRequest.Builder missing = Requests.openAi(upstream, "m");
        missing.getProviderBuilder().clearBaseUrl();
        GenerateRequest.Builder notHttp = Requests.openAi(upstream, "m");
        notHttp.getProviderBuilder().setBaseUrl("ftp://example.org/v1");

        assertEquals(Status.Code.INVALID_ARGUMENT, fails(missing.build()).getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, fails(notHttp.build()).getStatus().getCode());
    }

    @Test
    void aKeyVariableNameThatIsNotAnEnvNameIsInvalidArgument() {
        GenerateRequest.Builder request = Requests.openAi(upstream, "m");
        request.getProviderBuilder().setApiKeyEnv("quarkus.http.port");

        StatusRuntimeException e = fails(request.build());

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("api_key_env");
    }

    @Test
    void aToolSchemaThatIsNotJsonIsInvalidArgument() {
        GenerateRequest request = Requests.openAi(upstream, "m")
                .addTools(dev.hearth.proto.v1.ToolSpec.newBuilder().setName("broken").setInputSchemaJson("{not json"))
                .build();

        StatusRuntimeException e = fails(request);

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("broken");
    }

    private StatusRuntimeException fails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class,
                () -> llm.generate(request).collect().asList().await().atMost(Duration.ofSeconds(10)));
    }
}
