package dev.hearth.router.voice;

import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.VoiceStart;
import java.util.Optional;

/**
 * A voice call's settings: the caller's VoiceStart checked, its overrides put over the profile's
 * voice settings (empty: the speech services' defaults).
 */
record VoiceSettings(int sampleRate, String format, String language, String sttEngine, String ttsEngine,
        String ttsVoice, int outputSampleRate) {

    static final String PCM = "pcm_s16le";
    static final int MIN_RATE = 8000;
    static final int MAX_RATE = 48000;

    /** Why the start cannot be served, or empty when it can. */
    static Optional<String> problem(VoiceStart start) {
        if (start.getSampleRate() != 0 && (start.getSampleRate() < MIN_RATE || start.getSampleRate() > MAX_RATE)) {
            return Optional.of("sample_rate " + start.getSampleRate() + " is not supported: 0 (16000) or "
                    + MIN_RATE + ".." + MAX_RATE);
        }
        if (!start.getFormat().isEmpty() && !start.getFormat().equals(PCM)) {
            return Optional.of("format '" + start.getFormat() + "' is not supported: " + PCM);
        }
        if (start.getOutputSampleRate() != 0
                && (start.getOutputSampleRate() < MIN_RATE || start.getOutputSampleRate() > MAX_RATE)) {
            return Optional.of("output_sample_rate " + start.getOutputSampleRate() + " is not supported: 0 (the engine's) or "
                    + MIN_RATE + ".." + MAX_RATE);
        }
        return Optional.empty();
    }

    static VoiceSettings resolve(VoiceStart start, Profile profile) {
        dev.hearth.proto.v1.VoiceSettings voice = profile.getVoice();
        return new VoiceSettings(
                start.getSampleRate() == 0 ? 16000 : start.getSampleRate(),
                PCM,
                first(start.getLanguage(), voice.getLanguage()),
                first(start.getSttEngine(), voice.getSttEngine()),
                first(start.getTtsEngine(), voice.getTtsEngine()),
                first(start.getTtsVoice(), voice.getTtsVoice()),
                start.getOutputSampleRate());
    }

    /** Bytes of caller audio per millisecond. */
    double bytesPerMs() {
        return sampleRate * 2 / 1000.0;
    }

    private static String first(String override, String fromProfile) {
        return override.isBlank() ? fromProfile : override;
    }
}
