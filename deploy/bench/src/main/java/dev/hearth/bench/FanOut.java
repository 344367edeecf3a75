package dev.hearth.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One stream, many watchers: a client starts a chat under a {@code stream_id} of its own
 * ({@code "share": false}; the watchers use the same key, so they are the same user), N other
 * connections {@code subscribe} to it once it is {@code processing}. The fake holds its first token
 * back long enough for every subscription to be in place, so all tokens are live for all watchers.
 * Measured: per token per watcher, arrival − departure from the upstream.
 */
final class FanOut {

    record Result(int watchers, int clean, Histogram delay, long subscribeMillis, int lateSubscribers,
            String firstFailure, boolean ownerClean) {
    }

    static Result run(GatewayClient gateway, int watchers, Pacing pacing, int timeoutSeconds) throws Exception {
        List<BenchSocket> sockets = gateway.open(watchers + 1, 120);
        try {
            BenchSocket owner = sockets.get(0);
            String streamId = "bench-fan-" + UUID.randomUUID();
            String chatId = "fan-chat-" + watchers;
            CountDownLatch done = new CountDownLatch(watchers + 1);
            StreamRecord ownerRecord = new StreamRecord("owner", pacing.tokens(), done);
            CompletableFuture<Void> processing = new CompletableFuture<>();
            owner.handler((frame, at) -> {
                if ("processing".equals(frame.status)) {
                    processing.complete(null);
                }
                if (chatId.equals(frame.requestId) || frame.requestId == null) {
                    ownerRecord.onEvent(frame, at);
                    if (ownerRecord.ended) {
                        processing.complete(null);
                    }
                }
            });
            owner.send("{\"action\":\"chat\",\"request_id\":\"" + chatId + "\",\"payload\":{\"text\":\"" + pacing.text()
                    + "\",\"stream_id\":\"" + streamId + "\",\"share\":false}}", () -> ownerRecord.requestedAt = System.nanoTime());
            processing.get(timeoutSeconds, TimeUnit.SECONDS);
            if (ownerRecord.ended) {
                throw new IllegalStateException("the fan-out stream ended at once: " + ownerRecord.failure);
            }

            List<StreamRecord> records = new ArrayList<>(watchers);
            CountDownLatch subscribed = new CountDownLatch(watchers);
            long[] subscribedAt = new long[watchers];
            long subscribeStart = System.nanoTime();
            for (int i = 0; i < watchers; i++) {
                BenchSocket socket = sockets.get(i + 1);
                StreamRecord record = new StreamRecord("watcher-" + i, pacing.tokens(), done);
                records.add(record);
                String subscribeId = "sub-" + i;
                int index = i;
                socket.handler((frame, at) -> {
                    if (subscribeId.equals(frame.requestId) && !frame.isStreamEvent()) {
                        if ("error".equals(frame.status)) {
                            record.end("subscribe refused: " + frame.errorCode + " " + frame.errorMessage);
                            subscribed.countDown();
                        } else if ("subscribed".equals(frame.chunkType)) {
                            subscribedAt[index] = at;
                            subscribed.countDown();
                        }
                    } else if (streamId.equals(frame.streamId) || "connection_closed".equals(frame.errorCode)) {
                        record.onEvent(frame, at);
                    }
                });
                record.requestedAt = System.nanoTime();
                socket.send("{\"action\":\"subscribe\",\"request_id\":\"" + subscribeId + "\",\"payload\":{\"stream_id\":\""
                        + streamId + "\"}}", null);
            }
            subscribed.await(timeoutSeconds, TimeUnit.SECONDS);
            long subscribeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - subscribeStart);
            if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
                records.stream().filter(r -> !r.ended).forEach(r -> r.fail("no terminal event within " + timeoutSeconds + " s"));
            }
            Thread.sleep(20);

            Histogram delay = RunStats.histogram();
            int clean = 0;
            int late = 0;
            String firstFailure = null;
            long firstTokenSent = ownerRecord.received > 0 ? ownerRecord.sentNanos[0] : Long.MAX_VALUE;
            for (int i = 0; i < watchers; i++) {
                StreamRecord r = records.get(i);
                for (int t = 0; t < r.received; t++) {
                    RunStats.record(delay, r.receivedNanos[t] - r.sentNanos[t]);
                }
                if (r.clean()) {
                    clean++;
                } else if (firstFailure == null) {
                    firstFailure = r.id + ": " + (r.failure != null ? r.failure : r.received + " of " + r.tokens + " tokens");
                }
                if (subscribedAt[i] == 0 || subscribedAt[i] > firstTokenSent) {
                    late++;
                }
            }
            return new Result(watchers, clean, delay, subscribeMillis, late, firstFailure, ownerRecord.clean());
        } finally {
            sockets.forEach(BenchSocket::close);
        }
    }
}
