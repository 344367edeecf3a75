package dev.hearth.stt.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.audio.Resampler;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chunk-by-chunk resampling gives exactly the whole-buffer result, in bounded memory. */
class StreamingResamplerTest {

    @Test
    void chunksResampleLikeTheWholeBuffer() {
        Random random = new Random(3);
        short[] in = new short[44100];
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) (Math.sin(i * 2 * Math.PI * 440 / 44100) * 8000 + random.nextGaussian() * 300);
        }
        for (int from : new int[] {8000, 22050, 44100, 48000}) {
            short[] source = java.util.Arrays.copyOf(in, from);
            short[] whole = Resampler.resample(source, from, 16000);
            Resampler.Stream stream = new Resampler.Stream(from, 16000);
            short[] out = new short[0];
            for (int at = 0; at < source.length; at += 333) {
                out = concat(out, stream.push(java.util.Arrays.copyOfRange(source, at, Math.min(source.length, at + 333))));
            }
            out = concat(out, stream.finish());
            assertThat(out).as(from + " Hz").isEqualTo(whole);
        }
    }

    @Test
    void sixteenKilohertzPassesThrough() {
        Resampler.Stream stream = new Resampler.Stream(16000, 16000);
        short[] chunk = {1, 2, 3};
        assertThat(stream.push(chunk)).isSameAs(chunk);
        assertThat(stream.finish()).isEmpty();
    }

    static short[] concat(short[] a, short[] b) {
        short[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
