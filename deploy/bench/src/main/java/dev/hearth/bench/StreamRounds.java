package dev.hearth.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs rounds of answers, through the suite (one WebSocket per concurrent stream, a {@code chat}
 * each) or directly (the fake's SSE over HTTP), with the starts of one round spread evenly over a
 * ramp so the suite is not measured on one thundering herd.
 */
final class StreamRounds {

    private static final AtomicLong IDS = new AtomicLong();

    private final GatewayClient gateway;
    private final DirectClient direct;
    private final int timeoutSeconds;
    private final List<BenchSocket> pool = new ArrayList<>();

    StreamRounds(GatewayClient gateway, DirectClient direct, int timeoutSeconds) {
        this.gateway = gateway;
        this.direct = direct;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** WebSockets kept open between rounds (the pool grows to the largest round). */
    int openConnections() {
        return pool.size();
    }

    void closeConnections() {
        pool.forEach(BenchSocket::close);
        pool.clear();
    }

    /** Opens WebSockets until {@code c} are open (before a measured round, so it measures streams only). */
    void ensureConnections(int c) throws Exception {
        pool.removeIf(s -> s.closed);
        if (pool.size() < c) {
            pool.addAll(gateway.open(c - pool.size(), 120));
        }
    }

    /** {@code c} streams through the gateway, started over {@code rampMs}; waits for all to end. */
    List<StreamRecord> viaSuite(int c, Pacing pacing, int rampMs) throws Exception {
        ensureConnections(c);
        CountDownLatch done = new CountDownLatch(c);
        List<StreamRecord> records = new ArrayList<>(c);
        String text = pacing.text();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        for (int i = 0; i < c; i++) {
            BenchSocket socket = pool.get(i);
            String requestId = "b" + IDS.incrementAndGet();
            StreamRecord record = new StreamRecord(requestId, pacing.tokens(), done);
            records.add(record);
            socket.handler((frame, at) -> {
                if (frame.requestId == null || requestId.equals(frame.requestId) || "connection_closed".equals(frame.errorCode)) {
                    record.onEvent(frame, at);
                }
            });
            waitUntil(start + (c == 1 ? 0 : TimeUnit.MILLISECONDS.toNanos(rampMs) * i / c));
            socket.send("{\"action\":\"chat\",\"request_id\":\"" + requestId + "\",\"payload\":{\"text\":\"" + text + "\"}}",
                    () -> record.requestedAt = System.nanoTime());
        }
        await(done, records);
        for (int i = 0; i < c; i++) {
            pool.get(i).handler((frame, at) -> { });
        }
        return records;
    }

    /** The same round, read straight from the fake upstream. */
    List<StreamRecord> direct(int c, Pacing pacing, int rampMs) throws Exception {
        CountDownLatch done = new CountDownLatch(c);
        List<StreamRecord> records = new ArrayList<>(c);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        for (int i = 0; i < c; i++) {
            StreamRecord record = new StreamRecord("d" + IDS.incrementAndGet(), pacing.tokens(), done);
            records.add(record);
            waitUntil(start + (c == 1 ? 0 : TimeUnit.MILLISECONDS.toNanos(rampMs) * i / c));
            direct.start(pacing, record);
        }
        await(done, records);
        return records;
    }

    private void await(CountDownLatch done, List<StreamRecord> records) throws InterruptedException {
        if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            // Those still open count as failed: no terminal event in time.
            for (StreamRecord r : records) {
                if (!r.ended) {
                    r.fail("no terminal event within " + timeoutSeconds + " s (" + r.received + " of " + r.tokens + " tokens)");
                }
            }
        }
        // Let the event loops finish what they were doing with these records.
        Thread.sleep(20);
    }

    static void waitUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            if (wait > 2_000_000) {
                LockSupport.parkNanos(wait - 1_000_000);
            } else if (wait > 100_000) {
                LockSupport.parkNanos(50_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
