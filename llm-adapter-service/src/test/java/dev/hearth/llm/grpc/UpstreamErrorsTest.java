package dev.hearth.llm.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream.Ending;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream.Reply;
import dev.hearth.llm.testsupport.FakeOpenAiUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeOpenAiUpstream;
import dev.hearth.llm.testsupport.OpenAiChunks;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Provider error answers become gRPC statuses carrying the provider's own message. */
@QuarkusTest
@WithTestResource(value = FakeOpenAiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class UpstreamErrorsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeOpenAiUpstream
    FakeOpenAiUpstream upstream;

    @Test
    void unauthorizedIsUnauthenticatedWithTheProvidersMessage() {
        upstream.on("bad-key", Reply.error(401, """
                {"error":{"message":"Incorrect API key provided: sk-hea***1a.","type":"invalid_request_error",\
                "param":null,"code":"invalid_api_key"}}"""));

        StatusRuntimeException e = fails(Requests.openAi(upstream, "bad-key").build());

        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription())
                .contains("Incorrect API key provided: sk-hea***1a.")
                .contains(Requests.FAKE_PROVIDER_NAME)
                .contains("401");
    }

    @Test
    void rateLimitedIsResourceExhaustedWithRetryAfterInTheTrailer() {
        upstream.on("rate-limited", Reply.error(429, """
                {"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}""",
                "Retry-After", "2"));

        StatusRuntimeException e = fails(Requests.openAi(upstream, "rate-limited").build());

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("Rate limit reached for requests");
        assertEquals("2000", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void serverErrorIsUnavailableWithTheProvidersMessage() {
        upstream.on("server-error", Reply.error(500, """
                {"error":{"message":"The server had an error while processing your request. Sorry about that!",\
                "type":"server_error","code":null}}"""));

        StatusRuntimeException e = fails(Requests.openAi(upstream, "server-error").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("The server had an error while processing your request");
        assertNull(e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS), "no hint given, none invented");
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
            "400, INVALID_ARGUMENT", "403, PERMISSION_DENIED", "404, NOT_FOUND", "408, DEADLINE_EXCEEDED",
            "413, INVALID_ARGUMENT", "422, INVALID_ARGUMENT", "502, UNAVAILABLE", "503, UNAVAILABLE",
            "504, DEADLINE_EXCEEDED" })
    void everyErrorStatusMapsAsTheContractSays(int httpStatus, Status.Code expected) {
        String model = "status-" + httpStatus;
        // Shapes differ by server: this one is vLLM's / FastAPI's.
        upstream.on(model, Reply.error(httpStatus, "{\"detail\":\"upstream says " + httpStatus + "\"}"));

        StatusRuntimeException e = fails(Requests.openAi(upstream, model).build());

        assertEquals(expected, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("upstream says " + httpStatus);
    }

    @Test
    void aPlainTextErrorBodyIsPassedOnAsItIs() {
        upstream.on("plain-text", Reply.error(503, "upstream connect error or disconnect/reset before headers",
                "content-type", "text/plain", "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"));

        StatusRuntimeException e = fails(Requests.openAi(upstream, "plain-text").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("upstream connect error or disconnect/reset before headers");
        assertEquals("0", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS), "a date in the past means: now");
    }

    @Test
    void anErrorSentInsideTheStreamFailsIt() {
        // OpenRouter reports failures after the 200 this way, with an HTTP-like code.
        upstream.on("error-event", Reply.sse(Ending.END_RESPONSE, OpenAiChunks.content("Par")
                + "data: {\"error\":{\"message\":\"Provider returned error\",\"code\":502}}\n\n"));

        StatusRuntimeException e = fails(Requests.openAi(upstream, "error-event").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("Provider returned error");
    }

    private StatusRuntimeException fails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class,
                () -> llm.generate(request).collect().asList().await().atMost(WAIT));
    }
}
