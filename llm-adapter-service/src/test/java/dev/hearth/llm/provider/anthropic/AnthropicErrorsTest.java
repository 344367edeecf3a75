package dev.hearth.llm.provider.anthropic;

import static dev.hearth.llm.provider.anthropic.AnthropicRequests.anthropic;
import static dev.hearth.llm.testsupport.AnthropicEvents.UPSTREAM_MODEL;
import static dev.hearth.llm.testsupport.AnthropicEvents.errorBody;
import static dev.hearth.llm.testsupport.AnthropicEvents.messageStart;
import static dev.hearth.llm.testsupport.AnthropicEvents.textBlockStart;
import static dev.hearth.llm.testsupport.AnthropicEvents.textDelta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.testsupport.AnthropicEvents;
import dev.hearth.llm.testsupport.FakeAnthropicUpstream;
import dev.hearth.llm.testsupport.FakeAnthropicUpstream.Ending;
import dev.hearth.llm.testsupport.FakeAnthropicUpstream.Reply;
import dev.hearth.llm.testsupport.FakeAnthropicUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeAnthropicUpstream;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/** Anthropic's error answers and error events become the gRPC statuses every dialect uses. */
@QuarkusTest
@WithTestResource(value = FakeAnthropicUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class AnthropicErrorsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeAnthropicUpstream
    FakeAnthropicUpstream upstream;

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource({
            "400, invalid_request_error, INVALID_ARGUMENT", "401, authentication_error, UNAUTHENTICATED",
            "402, billing_error, RESOURCE_EXHAUSTED", "403, permission_error, PERMISSION_DENIED",
            "404, not_found_error, NOT_FOUND", "408, timeout_error, DEADLINE_EXCEEDED",
            "409, invalid_request_error, ABORTED", "413, request_too_large, INVALID_ARGUMENT",
            "429, rate_limit_error, RESOURCE_EXHAUSTED", "500, api_error, UNAVAILABLE", "502, api_error, UNAVAILABLE",
            "503, api_error, UNAVAILABLE", "504, timeout_error, DEADLINE_EXCEEDED", "529, overloaded_error, UNAVAILABLE" })
    void everyErrorStatusMapsWithTheProvidersMessageAndRetryHint(int httpStatus, String type, Status.Code expected) {
        String model = "status-" + httpStatus;
        upstream.on(model, Reply.error(httpStatus, errorBody(type, "upstream says " + httpStatus),
                "retry-after", Integer.toString(httpStatus % 7)));

        StatusRuntimeException e = fails(anthropic(upstream, model).build());

        assertEquals(expected, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("upstream says " + httpStatus)
                .contains(AnthropicRequests.PROVIDER_NAME).contains("HTTP " + httpStatus);
        assertEquals(Long.toString(httpStatus % 7 * 1000L), e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void overloadedSaysSoAndNoHintInventsNone() {
        upstream.on("overloaded", Reply.error(529, errorBody("overloaded_error", "Overloaded")));

        StatusRuntimeException e = fails(anthropic(upstream, "overloaded").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("provider '" + AnthropicRequests.PROVIDER_NAME + "' answered HTTP 529 (overloaded): Overloaded",
                e.getStatus().getDescription());
        assertNull(e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void anUnknownModelIsNotFound() {
        StatusRuntimeException e = fails(anthropic(upstream, "claude-nobody-scripted").build());

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("model: claude-nobody-scripted");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "overloaded_error, UNAVAILABLE", "rate_limit_error, RESOURCE_EXHAUSTED", "api_error, UNAVAILABLE",
            "invalid_request_error, INVALID_ARGUMENT", "authentication_error, UNAUTHENTICATED",
            "permission_error, PERMISSION_DENIED", "not_found_error, NOT_FOUND", "request_too_large, INVALID_ARGUMENT",
            "timeout_error, DEADLINE_EXCEEDED", "some_future_error, UNAVAILABLE" })
    void anErrorEventInsideTheStreamFailsItAfterWhatCameBefore(String type, Status.Code expected) {
        String model = "event-" + type;
        upstream.on(model, Reply.sse(Ending.END_RESPONSE, messageStart(UPSTREAM_MODEL, 9) + textBlockStart(0)
                + textDelta(0, "Par") + AnthropicEvents.error(type, "Stream failed: " + type)));

        AssertSubscriber<GenerateEvent> subscriber = llm.generate(anthropic(upstream, model).build())
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        Throwable failure = subscriber.awaitFailure(WAIT).getFailure();

        assertEquals(List.of("Par"), subscriber.getItems().stream().map(event -> event.getText().getText()).toList());
        Status status = Status.fromThrowable(failure);
        assertEquals(expected, status.getCode());
        assertThat(status.getDescription()).contains("Stream failed: " + type).contains("mid-stream");
    }

    private StatusRuntimeException fails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class,
                () -> llm.generate(request).collect().asList().await().atMost(WAIT));
    }
}
