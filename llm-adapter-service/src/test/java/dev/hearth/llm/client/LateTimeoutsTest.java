package dev.hearth.llm.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class LateTimeoutsTest {

    @Test
    void onlyTheClientsLateTimeoutsAndClosedConnectionsAreQuietened() {
        assertThat(LateTimeouts.isLateFailureOfAnAbandonedCall(
                new NoStackTraceTimeoutException("The timeout period of 1000ms has been exceeded"))).isTrue();
        assertThat(LateTimeouts.isLateFailureOfAnAbandonedCall(
                new RuntimeException(new HttpClosedException("Connection was closed")))).isTrue();
        assertThat(LateTimeouts.isLateFailureOfAnAbandonedCall(new IOException("disk full"))).isFalse();
        assertThat(LateTimeouts.isLateFailureOfAnAbandonedCall(new IllegalStateException("a bug"))).isFalse();
    }
}
