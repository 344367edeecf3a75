package dev.hearth.stt.engine.pocketsphinx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * At most {@code size} decoders, created on first need (each loads the models: ~0.5 s, tens of MB)
 * and handed to one utterance at a time; a caller waits when all are busy.
 */
final class DecoderPool implements AutoCloseable {

    private final int size;
    private final Supplier<Decoder> factory;
    private final LinkedBlockingQueue<Decoder> idle = new LinkedBlockingQueue<>();
    private final List<Decoder> all = new ArrayList<>();

    DecoderPool(int size, Supplier<Decoder> factory) {
        this.size = size;
        this.factory = factory;
    }

    Decoder acquire() throws InterruptedException {
        Decoder d = idle.poll();
        if (d != null) {
            return d;
        }
        synchronized (all) {
            if (all.size() < size) {
                Decoder created = factory.get();
                all.add(created);
                return created;
            }
        }
        return idle.take();
    }

    void release(Decoder decoder) {
        idle.add(decoder);
    }

    int created() {
        synchronized (all) {
            return all.size();
        }
    }

    @Override
    public void close() {
        synchronized (all) {
            all.forEach(Decoder::close);
            all.clear();
        }
    }
}
