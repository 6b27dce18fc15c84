package org.esm2j.api;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.TestData;
import org.esm2j.device.OutputKind;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cuda.CudaDevices;
import org.esm2j.model.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The in-process API gives the reference numbers and the same results as one another whatever the call shape. */
class Esm2jApiTest {
    private static final String SEQ = "MKTAYIAKQRQISFVKSHFSRQ";

    @Test
    void meanOfOneSequenceMatchesFairEsm() {
        // UniRef50_A0A223SCH7 from testdata/proteins.fasta
        String seq = "MGPPRWWKGITGLAAVVHRADPEDKADLYAKMGLYLEYHPETRIVEARIKPRLHDVCESKVSEGGLEPPCP";
        try (Esm2j esm = Esm2j.builder().model(TestData.tiny()).threads(2).build();
             SafetensorsFile expected = SafetensorsFile.open(TestData.tiny().resolve("expected.safetensors"))) {
            float[] mean = esm.embed(seq);
            float[] ref = expected.get("UniRef50_A0A223SCH7.mean.2").toFloatArray();
            assertThat(TestData.relL2(mean, ref)).isLessThan(1e-4);
        }
    }

    @Test
    void mapListAndSingleCallsAgree() {
        Map<String, String> input = new LinkedHashMap<>();
        input.put("b", "MLSRAVCGTSRQLAPVLGYLGSRQKHSLPD");
        input.put("a", SEQ);
        input.put("c", "m k t a y i a k q r *");
        try (Esm2j esm = Esm2j.builder().model(TestData.tiny().toString()).device("cpu").threads(1).tokensPerBatch(40).build()) {
            Map<String, float[]> means = esm.meanEmbeddings(input);
            assertThat(means.keySet()).containsExactly("b", "a", "c");
            assertThat(means.get("a")).containsExactly(esm.embed(SEQ));
            // Lowercase, spaces and the stop codon are normalised away.
            assertThat(means.get("c")).containsExactly(esm.embed("MKTAYIAKQR"));
            List<SequenceEmbedding> full = esm.embed(List.of(new Protein("a", SEQ)),
                    esm.spec(Set.of(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.BOS), List.of(0, -1)));
            assertThat(full.getFirst().perToken()[1]).hasSize(SEQ.length() * esm.config().hiddenSize());
            assertThat(full.getFirst().mean()[1]).containsExactly(means.get("a"));
        }
    }

    @Test
    void cudaWithoutAGpuFailsWithTheDeviceExitCodeAndAutoFallsBack() {
        CudaDevices.Inventory inventory = CudaDevices.discover();
        assumeTrue(!inventory.usable(), "a usable GPU is present");
        assertThatThrownBy(() -> Esm2j.builder().model(TestData.tiny()).device("cuda").build())
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DEVICE_FAILURE))
                .hasMessageContaining(inventory.error());
        try (Esm2j esm = Esm2j.builder().model(TestData.tiny()).device("auto").threads(1).build()) {
            assertThat(esm.embed(SEQ)).hasSize(esm.config().hiddenSize());
        }
    }

    @Test
    void badCallsFailClearly() {
        try (Esm2j esm = Esm2j.builder().model(TestData.tiny()).threads(1).build()) {
            assertThatThrownBy(() -> esm.embed(List.of(new Protein("x", SEQ), new Protein("x", SEQ)),
                    esm.spec(Set.of(OutputKind.MEAN), List.of(-1))))
                    .isInstanceOf(Esm2jException.class).hasMessageContaining("duplicate protein id 'x'");
            assertThatThrownBy(() -> esm.embed("**")).isInstanceOf(Esm2jException.class).hasMessageContaining("no residues");
            assertThatThrownBy(() -> esm.spec(Set.of(OutputKind.MEAN), List.of(7))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("out of range");
        }
        assertThatThrownBy(() -> Esm2j.builder().model(TestData.tiny()).dtype("fp8").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fp8");
        assertThatThrownBy(() -> Esm2j.builder().model(TestData.tiny()).device("tpu").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tpu");
        assertThatThrownBy(() -> Esm2j.builder().build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
        assertThatThrownBy(() -> Esm2j.builder().model("/nonexistent/model").build()).isInstanceOf(Esm2jException.class)
                .hasMessageContaining("/nonexistent/model");
    }

    @Test
    void parameterMistakesNameTheLibrarysParameterAndNoCommandLineFlag() {
        assertThatThrownBy(() -> Esm2j.builder().threads(0))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(Parameter.THREADS))
                .hasMessage("threads must be >= 1, got 0");
        assertThatThrownBy(() -> Esm2j.builder().model(TestData.tiny()).dtype("fp8").build())
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("dtype fp8: ").hasMessageNotContaining("--");
        try (Esm2j esm = Esm2j.builder().model(TestData.tiny()).threads(1).build()) {
            int layers = esm.config().numLayers();
            assertThatThrownBy(() -> esm.spec(Set.of(OutputKind.MEAN), List.of(layers + 1)))
                    .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(Parameter.LAYERS))
                    .hasMessageStartingWith("layers " + (layers + 1) + " is out of range").hasMessageNotContaining("--");
            assertThatThrownBy(() -> esm.spec(Set.of(), List.of(-1)))
                    .isInstanceOf(InvalidParameterException.class).hasMessageContaining("kinds").hasMessageNotContaining("--");
        }
        assertThatThrownBy(() -> Esm2j.builder().model("/nonexistent/model").build()).isInstanceOf(Esm2jException.class)
                .hasMessageStartingWith("model /nonexistent/model: no such directory").hasMessageNotContaining("--");
    }
}
