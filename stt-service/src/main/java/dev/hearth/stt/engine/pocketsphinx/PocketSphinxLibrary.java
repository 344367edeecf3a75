package dev.hearth.stt.engine.pocketsphinx;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of libpocketsphinx (Debian's 5prealpha, {@code libpocketsphinx.so.3}) Hearth calls.
 * Functions whose signature changed across releases get a trailing pointer the library may
 * ignore (an extra argument is harmless in the C calling convention; a missing one is not).
 */
public interface PocketSphinxLibrary extends Library {

    Pointer ps_args();

    Pointer ps_init(Pointer config);

    int ps_free(Pointer ps);

    int ps_set_jsgf_string(Pointer ps, String name, String jsgf);

    int ps_set_lm_file(Pointer ps, String name, String path);

    int ps_set_search(Pointer ps, String name);

    int ps_start_utt(Pointer ps);

    int ps_process_raw(Pointer ps, short[] data, long samples, int noSearch, int fullUtt);

    int ps_end_utt(Pointer ps);

    String ps_get_hyp(Pointer ps, IntByReference bestScore, PointerByReference legacyUttId);

    int ps_get_prob(Pointer ps);

    int ps_get_n_frames(Pointer ps);

    Pointer ps_seg_iter(Pointer ps, IntByReference legacyBestScore);

    Pointer ps_seg_next(Pointer seg);

    String ps_seg_word(Pointer seg);

    void ps_seg_frames(Pointer seg, IntByReference startFrame, IntByReference endFrame);

    int ps_seg_prob(Pointer seg, IntByReference acoustic, IntByReference language, IntByReference backoff);

    void ps_seg_free(Pointer seg);

    /** The word's phones, or NULL when the dictionary does not have it (the string is the library's; it is small and leaked). */
    Pointer ps_lookup_word(Pointer ps, String word);

    Pointer ps_get_logmath(Pointer ps);

    /** libsphinxbase, which libpocketsphinx links. */
    interface SphinxBase extends Library {

        Pointer cmd_ln_parse_r(Pointer inout, Pointer definitions, int argc, String[] argv, int strict);

        int cmd_ln_free_r(Pointer config);

        double logmath_exp(Pointer logmath, int logValue);
    }
}
