package dev.hearth.stt.vad;

/**
 * Energy voice detection, the fallback when the Silero model is not there: a frame is voiced when
 * its level stands a margin above the tracked noise floor (and above an absolute floor). The
 * floor follows quiet frames down at once and rises slowly, so steady noise becomes the floor and
 * speech over it stays voiced.
 */
public final class EnergyDetector implements VoiceDetector {

    private final float marginDb;
    private final float absoluteFloorDbfs;
    private double noiseFloorDb = Double.NaN;

    public EnergyDetector(float marginDb, float absoluteFloorDbfs) {
        this.marginDb = marginDb;
        this.absoluteFloorDbfs = absoluteFloorDbfs;
    }

    @Override
    public float speechProbability(short[] frame) {
        double level = levelDbfs(frame);
        if (Double.isNaN(noiseFloorDb)) {
            noiseFloorDb = level; // a stream starts before anyone speaks: its first frame is the background
        }
        boolean voiced = level > absoluteFloorDbfs && level > noiseFloorDb + marginDb;
        if (level < noiseFloorDb) {
            noiseFloorDb = level;
        } else {
            // ~1.5 s to follow a louder background, ~6 s while it counts as voiced: a long utterance
            // moves the floor a few dB, a fan switched on stops counting as speech within seconds.
            noiseFloorDb += (level - noiseFloorDb) * (voiced ? 0.005 : 0.02);
        }
        noiseFloorDb = Math.max(noiseFloorDb, -90);
        return voiced ? 1f : 0f;
    }

    static double levelDbfs(short[] frame) {
        double sum = 0;
        for (short s : frame) {
            sum += (double) s * s;
        }
        double rms = Math.sqrt(sum / Math.max(1, frame.length)) / 32768.0;
        return 20 * Math.log10(Math.max(rms, 1e-6));
    }

    @Override
    public String name() {
        return "energy";
    }
}
