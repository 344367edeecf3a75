package dev.hearth.llm.provider.gemini;

import static dev.hearth.llm.testsupport.GeminiChunks.errorBody;
import static dev.hearth.llm.testsupport.GeminiChunks.errorEvent;
import static dev.hearth.llm.testsupport.GeminiChunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.testsupport.FakeGeminiUpstream;
import dev.hearth.llm.testsupport.FakeGeminiUpstream.Ending;
import dev.hearth.llm.testsupport.FakeGeminiUpstream.Reply;
import dev.hearth.llm.testsupport.FakeGeminiUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeGeminiUpstream;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Gemini's error answers become the gRPC statuses every dialect gives, with Google's message and retry hint. */
@QuarkusTest
@WithTestResource(value = FakeGeminiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class GeminiUpstreamErrorsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeGeminiUpstream
    FakeGeminiUpstream upstream;

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource({
            "400, INVALID_ARGUMENT, INVALID_ARGUMENT", "401, UNAUTHENTICATED, UNAUTHENTICATED",
            "403, PERMISSION_DENIED, PERMISSION_DENIED", "404, NOT_FOUND, NOT_FOUND",
            "408, DEADLINE_EXCEEDED, DEADLINE_EXCEEDED", "409, ABORTED, ABORTED",
            "413, INVALID_ARGUMENT, INVALID_ARGUMENT", "429, RESOURCE_EXHAUSTED, RESOURCE_EXHAUSTED",
            "500, INTERNAL, UNAVAILABLE", "503, UNAVAILABLE, UNAVAILABLE", "504, DEADLINE_EXCEEDED, DEADLINE_EXCEEDED" })
    void everyErrorStatusMapsAsForEveryDialect(int httpStatus, String googleStatus, Status.Code expected) {
        String model = "status-" + httpStatus;
        upstream.on(model, Reply.error(httpStatus, errorBody(httpStatus, googleStatus, "Google says " + httpStatus, null)));

        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, model).build());

        assertEquals(expected, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("Google says " + httpStatus).contains("HTTP " + httpStatus)
                .contains(GeminiRequests.PROVIDER_NAME);
        assertNull(e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS), "no hint given, none invented");
    }

    @Test
    void rateLimitedCarriesTheRetryInfoDelayInTheTrailer() {
        upstream.on("quota", Reply.error(429, errorBody(429, "RESOURCE_EXHAUSTED",
                "You exceeded your current quota, please check your plan and billing details.", "30s")));

        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, "quota").build());

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("You exceeded your current quota");
        assertEquals("30000", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void aRetryAfterHeaderIsAHintToo() {
        upstream.on("overloaded", Reply.error(503, errorBody(503, "UNAVAILABLE",
                "The model is overloaded. Please try again later.", null), "Retry-After", "2"));

        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, "overloaded").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("The model is overloaded");
        assertEquals("2000", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void aWrongKeyIsUnauthenticatedThoughGoogleAnswers400() {
        GenerateRequest.Builder request = GeminiRequests.gemini(upstream, "wrong-key");
        request.getProviderBuilder().setApiKeyEnv(FakeGeminiUpstreamResource.WRONG_KEY_ENV);
        upstream.on("wrong-key", Reply.sse(Ending.END_RESPONSE, text("never")));

        StatusRuntimeException e = fails(request.build());

        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("API key not valid").contains("HTTP 400");
    }

    @Test
    void anUnknownModelIsNotFound() {
        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, "gemini-does-not-exist").build());

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("models/gemini-does-not-exist is not found");
    }

    @Test
    void anErrorSentInsideTheStreamFailsIt() {
        upstream.on("error-event", Reply.sse(Ending.END_RESPONSE, text("Par")
                + errorEvent(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")));

        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, "error-event").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("The model is overloaded");
    }

    @Test
    void anInStreamErrorWithoutAnHttpCodeMapsByItsStatusName() {
        upstream.on("error-event-status", Reply.sse(Ending.END_RESPONSE, text("Par")
                + "data: {\"error\":{\"message\":\"Quota exceeded mid-answer\",\"status\":\"RESOURCE_EXHAUSTED\","
                + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1.5s\"}]}}\r\n\r\n"));

        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, "error-event-status").build());

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("Quota exceeded mid-answer");
        assertEquals("1500", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void anEventThatIsNotJsonIsMalformed() {
        upstream.on("not-json", Reply.sse(Ending.END_RESPONSE, "data: <html>oops</html>\r\n\r\n"));

        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, "not-json").build());

        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("malformed");
    }

    private StatusRuntimeException fails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class,
                () -> llm.generate(request).collect().asList().await().atMost(WAIT));
    }
}
