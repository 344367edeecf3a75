package dev.hearth.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.ConnectException;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.hearth.llm.client.UpstreamHttpException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.http.HttpClosedException;

class ProviderErrorsTest {

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
            "400, INVALID_ARGUMENT", "401, UNAUTHENTICATED", "402, RESOURCE_EXHAUSTED", "403, PERMISSION_DENIED",
            "404, NOT_FOUND", "408, DEADLINE_EXCEEDED", "409, ABORTED", "413, INVALID_ARGUMENT",
            "422, INVALID_ARGUMENT", "429, RESOURCE_EXHAUSTED", "500, UNAVAILABLE", "502, UNAVAILABLE",
            "503, UNAVAILABLE", "504, DEADLINE_EXCEEDED", "529, UNAVAILABLE", "301, UNAVAILABLE" })
    void mapsHttpStatuses(int httpStatus, Status.Code expected) {
        assertEquals(expected, ProviderErrors.codeForHttpStatus(httpStatus));
    }

    @Test
    void anHttpErrorKeepsTheMessageAndTheRetryHint() {
        StatusRuntimeException e = ProviderErrors.fromFailure("openrouter",
                new UpstreamHttpException(429, "{\"error\":{\"message\":\"slow down\",\"code\":429}}", "7", null));

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertEquals("provider 'openrouter' answered HTTP 429: slow down", e.getStatus().getDescription());
        assertEquals("7000", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void preferOpenAisMillisecondHint() {
        StatusRuntimeException e = ProviderErrors.fromFailure("openai",
                new UpstreamHttpException(429, "", "2", "1450"));

        assertEquals("1450", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
        assertEquals("provider 'openai' answered HTTP 429", e.getStatus().getDescription());
    }

    @Test
    void transportFailuresAreUnavailableAndSilenceIsDeadlineExceeded() {
        assertEquals(Status.Code.UNAVAILABLE, ProviderErrors.fromFailure("p",
                new ProcessingException(new ConnectException("Connection refused"))).getStatus().getCode());
        assertEquals(Status.Code.UNAVAILABLE, ProviderErrors.fromFailure("p",
                new HttpClosedException("Connection was closed")).getStatus().getCode());
        assertEquals(Status.Code.UNAVAILABLE, ProviderErrors.fromFailure("p",
                new IOException("Connection reset by peer")).getStatus().getCode());
        StatusRuntimeException silent = ProviderErrors.fromFailure("p", new TimeoutException("The timeout period of 60000ms has been exceeded"));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, silent.getStatus().getCode());
        assertThat(silent.getStatus().getDescription()).contains("60000ms");
    }

    @Test
    void statusesPassThroughAndBugsAreInternal() {
        StatusRuntimeException given = Status.NOT_FOUND.asRuntimeException();
        assertSame(given, ProviderErrors.fromFailure("p", given));
        assertEquals(Status.Code.INTERNAL, ProviderErrors.toStatus(new NullPointerException("oops")).getStatus().getCode());
    }

    @Test
    void anOverloadedProviderIsUnavailableAndSaysSo() {
        StatusRuntimeException e = ProviderErrors.fromFailure("claude",
                new UpstreamHttpException(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                        + "\"message\":\"Overloaded\"}}", "3", null));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("provider 'claude' answered HTTP 529 (overloaded): Overloaded", e.getStatus().getDescription());
        assertEquals("3000", e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }

    @Test
    void noHintMeansNoTrailer() {
        StatusRuntimeException e = ProviderErrors.fromHttpStatus("p", 500, "", OptionalLong.empty());
        assertNull(e.getTrailers().get(ProviderErrors.RETRY_AFTER_MS));
    }
}
