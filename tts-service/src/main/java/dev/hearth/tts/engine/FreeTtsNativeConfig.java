package dev.hearth.tts.engine;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * FreeTTS finds its voice directory and lexicon classes by name; registered here so a native image
 * keeps them. Its voice data (.bin/.idx resources) is included by {@code quarkus.native.resources.includes}.
 * Not built here (no GraalVM on our machines); where FreeTTS still fails natively, set
 * {@code hearth.tts.freetts.enabled=false} and use flite or espeak-ng, which native images run as processes.
 */
@RegisterForReflection(targets = {
        com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory.class,
        com.sun.speech.freetts.en.us.CMULexicon.class,
        com.sun.speech.freetts.en.us.CMUDiphoneVoice.class,
        com.sun.speech.freetts.VoiceManager.class
}, ignoreNested = false)
public final class FreeTtsNativeConfig {

    private FreeTtsNativeConfig() {
    }
}
