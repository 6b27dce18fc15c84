package org.esm2j.device.cpu;

import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.model.EsmWeights;
import org.esm2j.tokens.TokenizedSequence;

import java.util.List;

/** The exact FP32 CPU encoder as a device. */
public final class CpuDevice implements EncoderDevice {
    /** Big enough to keep the matrix kernels busy, small enough that activations of the 650M model stay near 1 GB. */
    public static final long DEFAULT_TOKEN_BUDGET = 4096;

    private final CpuEncoder encoder;

    public CpuDevice(EsmWeights weights, int threads) {
        VectorSupport.require();
        this.encoder = new CpuEncoder(weights, threads);
    }

    public CpuEncoder encoder() {
        return encoder;
    }

    @Override
    public String id() {
        return "cpu";
    }

    @Override
    public String description() {
        return "CPU, " + encoder.threads() + " thread" + (encoder.threads() == 1 ? "" : "s") + ", FP32, "
                + VectorSupport.preferredBits() + "-bit vectors";
    }

    @Override
    public List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec spec) {
        return encoder.encode(batch, spec);
    }

    @Override
    public long defaultTokenBudget() {
        return DEFAULT_TOKEN_BUDGET;
    }

    @Override
    public void close() {
        encoder.close();
    }
}
