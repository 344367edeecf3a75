package dev.hearth.llm.provider.ollama;

import static dev.hearth.llm.testsupport.OllamaLines.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.testsupport.FakeOllamaUpstream;
import dev.hearth.llm.testsupport.FakeOllamaUpstream.Ending;
import dev.hearth.llm.testsupport.FakeOllamaUpstream.Reply;
import dev.hearth.llm.testsupport.FakeOllamaUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeOllamaUpstream;
import dev.hearth.llm.testsupport.OllamaLines;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Ollama's error answers, before and after the stream starts, become the statuses every dialect uses. */
@QuarkusTest
@WithTestResource(value = FakeOllamaUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class OllamaErrorsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeOllamaUpstream
    FakeOllamaUpstream upstream;

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
            "400, INVALID_ARGUMENT", "401, UNAUTHENTICATED", "403, PERMISSION_DENIED", "404, NOT_FOUND",
            "408, DEADLINE_EXCEEDED", "409, ABORTED", "413, INVALID_ARGUMENT", "429, RESOURCE_EXHAUSTED",
            "500, UNAVAILABLE", "502, UNAVAILABLE", "503, UNAVAILABLE", "504, DEADLINE_EXCEEDED" })
    void everyErrorStatusMapsAsTheContractSays(int httpStatus, Status.Code expected) {
        String model = "status-" + httpStatus;
        upstream.on(model, Reply.error(httpStatus, "ollama says " + httpStatus));

        StatusRuntimeException e = fails(OllamaRequests.ollama(upstream, model).build());

        assertEquals(expected, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("ollama says " + httpStatus)
                .contains(OllamaRequests.PROVIDER_NAME).contains(String.valueOf(httpStatus));
        assertNull(e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS), "no hint given, none invented");
    }

    @Test
    void anUnknownModelIsNotFoundWithOllamasMessage() {
        // nothing scripted for this model: the fake answers as Ollama does for a model not pulled
        StatusRuntimeException e = fails(OllamaRequests.ollama(upstream, "llama9:404b").build());

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("model 'llama9:404b' not found");
    }

    @Test
    void rateLimitedIsResourceExhaustedWithRetryAfterInTheTrailer() {
        upstream.on("rate-limited", Reply.error(429, "you have reached your hourly usage limit", "Retry-After", "3"));

        StatusRuntimeException e = fails(OllamaRequests.ollama(upstream, "rate-limited").build());

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("you have reached your hourly usage limit");
        assertEquals("3000", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void aBusyServerIsUnavailableWithItsRetryHint() {
        // Ollama's own "overloaded": its request queue (OLLAMA_MAX_QUEUE) is full
        upstream.on("busy", Reply.error(503, "server busy, please try again.  maximum pending requests exceeded",
                "Retry-After", "1.5"));

        StatusRuntimeException e = fails(OllamaRequests.ollama(upstream, "busy").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("server busy");
        assertEquals("1500", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void aProxysPlainTextErrorIsPassedOnAsItIs() {
        upstream.on("proxy", Reply.errorBody(502, "text/html", "<html><body>502 Bad Gateway</body></html>",
                "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"));

        StatusRuntimeException e = fails(OllamaRequests.ollama(upstream, "proxy").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("502 Bad Gateway");
        assertEquals("0", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS), "a date in the past means: now");
    }

    @Test
    void anErrorLineInsideTheStreamFailsIt() {
        upstream.on("error-line", Reply.ndjson(Ending.END_RESPONSE, content("Par")
                + OllamaLines.error("an error was encountered while running the model")));

        StatusRuntimeException e = fails(OllamaRequests.ollama(upstream, "error-line").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("an error was encountered while running the model")
                .contains(OllamaRequests.PROVIDER_NAME);
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        GenerateRequest.Builder request = OllamaRequests.ollama(upstream, "nobody-home");
        request.getProviderBuilder().setBaseUrl("http://127.0.0.1:" + closedPort);

        StatusRuntimeException e = fails(request.build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("cannot connect");
    }

    @Test
    void aBaseUrlThatIsNotHttpIsInvalid() {
        GenerateRequest.Builder request = OllamaRequests.ollama(upstream, "bad-url");
        request.getProviderBuilder().setBaseUrl("ftp://127.0.0.1:11434");

        StatusRuntimeException e = fails(request.build());

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("base_url");
    }

    private StatusRuntimeException fails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class,
                () -> llm.generate(request).collect().asList().await().atMost(WAIT));
    }
}
