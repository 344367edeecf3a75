package dev.hearth.stt.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * Silero VAD v5 on one stream. The model takes 64 samples of context (the tail of the previous
 * frame) followed by the 512-sample frame, as floats in [-1, 1], a recurrent state [2, 1, 128]
 * and the sample rate; it returns the speech probability and the next state. The session is shared
 * (ONNX Runtime sessions are thread-safe); context and state belong to this stream.
 */
public final class SileroDetector implements VoiceDetector {

    static final int CONTEXT = 64;
    private static final long[] INPUT_SHAPE = {1, CONTEXT + FRAME_SAMPLES};
    private static final long[] STATE_SHAPE = {2, 1, 128};

    private final OrtEnvironment env;
    private final OrtSession session;
    private final float[] input = new float[CONTEXT + FRAME_SAMPLES];
    private float[] state = new float[2 * 128];

    SileroDetector(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
    }

    @Override
    public float speechProbability(short[] frame) {
        System.arraycopy(input, FRAME_SAMPLES, input, 0, CONTEXT); // the last 64 samples of the previous input
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            input[CONTEXT + i] = i < frame.length ? frame[i] / 32768f : 0f;
        }
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), INPUT_SHAPE);
                OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), STATE_SHAPE);
                OnnxTensor sr = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {16_000}), new long[0]);
                OrtSession.Result result = session.run(Map.of("input", in, "state", st, "sr", sr))) {
            float probability = ((float[][]) result.get(0).getValue())[0][0];
            float[][][] next = (float[][][]) result.get(1).getValue();
            float[] flat = new float[2 * 128];
            System.arraycopy(next[0][0], 0, flat, 0, 128);
            System.arraycopy(next[1][0], 0, flat, 128, 128);
            state = flat;
            return probability;
        } catch (OrtException e) {
            throw new IllegalStateException("Silero VAD failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "silero";
    }
}
