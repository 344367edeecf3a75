package dev.hearth.stt.engine.pocketsphinx;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * JNA binds the pocketsphinx interfaces through dynamic proxies and reflection: registered here
 * (and in {@code META-INF/native-image/.../proxy-config.json}) so a native image keeps them. Not
 * built here (no GraalVM on our machines); unproven natively — the JVM build is the tested one.
 */
@RegisterForReflection(targets = {
        PocketSphinxLibrary.class,
        PocketSphinxLibrary.SphinxBase.class,
        com.sun.jna.ptr.IntByReference.class,
        com.sun.jna.ptr.PointerByReference.class
})
public final class PocketSphinxNativeConfig {

    private PocketSphinxNativeConfig() {
    }
}
