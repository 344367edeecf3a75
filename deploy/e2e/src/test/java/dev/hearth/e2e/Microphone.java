package dev.hearth.e2e;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open microphone: sends 20 ms of PCM every 20 ms over a WebSocket, in real time, as a voice
 * satellite does — what was queued with {@link #say}, else silence — until closed.
 */
final class Microphone implements AutoCloseable {

    private static final int FRAME_BYTES = Speech.RATE * 2 / 50;

    private final WsClient socket;
    private final ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "e2e-microphone");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledFuture<?> ticking;
    /** nanoTime at which the marked frame went out ({@link #say(byte[], int)}); 0 until then. */
    private final AtomicLong markSentAt = new AtomicLong();

    private record Frame(byte[] pcm, boolean marked) {
    }

    Microphone(WsClient socket) {
        this.socket = socket;
        this.ticking = clock.scheduleAtFixedRate(this::tick, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Queues {@code pcm} (16 kHz mono s16le) to be spoken after what is queued already. */
    void say(byte[] pcm) {
        say(pcm, -1);
    }

    /**
     * Like {@link #say(byte[])}, noting when the frame holding byte {@code markOffset} goes out
     * ({@link #markSentAt()}): e.g. the end of speech, for latency measured from it.
     */
    void say(byte[] pcm, int markOffset) {
        markSentAt.set(0);
        for (int offset = 0; offset < pcm.length; offset += FRAME_BYTES) {
            byte[] frame = new byte[FRAME_BYTES];
            System.arraycopy(pcm, offset, frame, 0, Math.min(FRAME_BYTES, pcm.length - offset));
            frames.add(new Frame(frame, markOffset >= offset && markOffset < offset + FRAME_BYTES));
        }
    }

    /** When the marked frame went out (System.nanoTime), or 0 if it has not yet. */
    long markSentAt() {
        return markSentAt.get();
    }

    private void tick() {
        Frame frame = frames.poll();
        try {
            socket.sendBinary(frame == null ? new byte[FRAME_BYTES] : frame.pcm());
        } catch (RuntimeException closed) {
            ticking.cancel(false);
            return;
        }
        if (frame != null && frame.marked()) {
            markSentAt.set(System.nanoTime());
        }
    }

    @Override
    public void close() {
        ticking.cancel(false);
        clock.shutdownNow();
    }
}
