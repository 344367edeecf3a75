package dev.hearth.stt.engine.pocketsphinx;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Map;
import java.util.function.Function;

/** The loaded pocketsphinx library and its pool of decoders. */
public final class PocketSphinx implements AutoCloseable {

    private static final int RTLD_LAZY = 1;

    private final DecoderPool pool;

    private PocketSphinx(DecoderPool pool) {
        this.pool = pool;
    }

    /** Loads libpocketsphinx and libsphinxbase; throws {@link UnsatisfiedLinkError} when they are not installed. */
    public static PocketSphinx load(String library, String modelDir, int decoders) {
        // RTLD_LOCAL: sphinxbase exports generic C names (hash_table_*, err_*, ...) that must not
        // interpose on other native libraries of the process (ONNX Runtime crashed with them global).
        Map<String, Object> local = Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY);
        PocketSphinxLibrary ps = Native.load(library, PocketSphinxLibrary.class, local);
        PocketSphinxLibrary.SphinxBase base = Native.load(library.replace("pocketsphinx", "sphinxbase"),
                PocketSphinxLibrary.SphinxBase.class, local);
        return new PocketSphinx(new DecoderPool(Math.max(1, decoders), () -> new Decoder(ps, base, modelDir)));
    }

    /** Runs {@code work} with a decoder of its own (waiting for one when all are busy). */
    public <T> T withDecoder(Function<Decoder, T> work) {
        Decoder decoder;
        try {
            decoder = pool.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a decoder", e);
        }
        try {
            return work.apply(decoder);
        } finally {
            pool.release(decoder);
        }
    }

    public int decodersCreated() {
        return pool.created();
    }

    @Override
    public void close() {
        pool.close();
    }
}
