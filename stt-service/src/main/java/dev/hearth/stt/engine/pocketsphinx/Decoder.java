package dev.hearth.stt.engine.pocketsphinx;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * One pocketsphinx decoder with two searches: {@code lm} (the general English language model)
 * and, once set, {@code grammar} (the home's JSGF). Not thread-safe: the pool hands one decoder
 * to one utterance at a time.
 */
public final class Decoder implements AutoCloseable {

    public static final String LM = "lm";
    public static final String GRAMMAR = "grammar";
    /** pocketsphinx's frame rate: 100 frames per second. */
    public static final int FRAME_MS = 10;

    private final PocketSphinxLibrary ps;
    private final PocketSphinxLibrary.SphinxBase base;
    private final Pointer config;
    private final Pointer decoder;
    private String grammar;
    private long grammarVersion = -1;

    /** A decoded utterance: the words with frames, the path score and the posterior probability. */
    public record Result(String text, List<Segment> segments, int bestScore, double probability, int frames, long acousticScore) {

        /** Acoustic log score per 10 ms frame (pocketsphinx's log base; higher is a better match). */
        public double acousticPerFrame() {
            return frames == 0 ? 0 : (double) acousticScore / frames;
        }
    }

    public record Segment(String word, int startFrame, int endFrame, double probability) {}

    Decoder(PocketSphinxLibrary ps, PocketSphinxLibrary.SphinxBase base, String modelDir) {
        this.ps = ps;
        this.base = base;
        String[] argv = {
            "-hmm", modelDir + "/en-us",
            "-dict", modelDir + "/cmudict-en-us.dict",
            "-lm", modelDir + "/en-us.lm.bin",
            "-logfn", "/dev/null",
            // The forward pass's word scores: the guard compares acoustic scores, which bestpath rescoring does not keep.
            "-bestpath", "no",
        };
        config = base.cmd_ln_parse_r(null, ps.ps_args(), argv.length, argv, 1);
        if (config == null) {
            throw new IllegalStateException("pocketsphinx rejected its configuration (model directory " + modelDir + ")");
        }
        decoder = ps.ps_init(config);
        if (decoder == null) {
            base.cmd_ln_free_r(config);
            throw new IllegalStateException("pocketsphinx could not load its models from " + modelDir);
        }
        // ps_init names the -lm search "_default"; give it a stable name of our own.
        if (ps.ps_set_lm_file(decoder, LM, modelDir + "/en-us.lm.bin") < 0) {
            close();
            throw new IllegalStateException("pocketsphinx could not load the language model in " + modelDir);
        }
    }

    /** Installs the grammar unless this decoder already has that version. */
    public void useGrammar(String jsgf, long version) {
        if (version == grammarVersion) {
            return;
        }
        if (ps.ps_set_jsgf_string(decoder, GRAMMAR, jsgf) < 0) {
            throw new IllegalArgumentException("pocketsphinx rejected the grammar");
        }
        grammar = jsgf;
        grammarVersion = version;
    }

    public boolean hasGrammar() {
        return grammar != null;
    }

    /** True when the pronunciation dictionary knows the (lower-case) word. */
    public boolean knows(String word) {
        return ps.ps_lookup_word(decoder, word) != null;
    }

    /** Decodes one whole utterance (16 kHz mono) with the named search. */
    public Result decode(String search, short[] samples) {
        if (ps.ps_set_search(decoder, search) < 0) {
            throw new IllegalStateException("pocketsphinx has no search " + search);
        }
        if (ps.ps_start_utt(decoder) < 0) {
            throw new IllegalStateException("pocketsphinx could not start an utterance");
        }
        ps.ps_process_raw(decoder, samples, samples.length, 0, 1);
        ps.ps_end_utt(decoder);
        IntByReference score = new IntByReference();
        String hyp = ps.ps_get_hyp(decoder, score, new PointerByReference());
        Pointer logmath = ps.ps_get_logmath(decoder);
        double probability = base.logmath_exp(logmath, ps.ps_get_prob(decoder));
        List<Segment> segments = new ArrayList<>();
        long acoustic = 0;
        if (hyp != null) {
            IntByReference start = new IntByReference();
            IntByReference end = new IntByReference();
            IntByReference a = new IntByReference();
            IntByReference l = new IntByReference();
            IntByReference b = new IntByReference();
            for (Pointer seg = ps.ps_seg_iter(decoder, new IntByReference()); seg != null; seg = ps.ps_seg_next(seg)) {
                String word = ps.ps_seg_word(seg);
                ps.ps_seg_frames(seg, start, end);
                int logProb = ps.ps_seg_prob(seg, a, l, b);
                acoustic += a.getValue();
                segments.add(new Segment(word, start.getValue(), end.getValue(), base.logmath_exp(logmath, logProb)));
            }
        }
        return new Result(hyp == null ? "" : hyp.trim(), segments, score.getValue(), probability, ps.ps_get_n_frames(decoder), acoustic);
    }

    @Override
    public void close() {
        if (decoder != null) {
            ps.ps_free(decoder);
        }
        base.cmd_ln_free_r(config);
    }
}
