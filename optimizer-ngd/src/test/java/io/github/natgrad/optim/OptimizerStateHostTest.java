package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.Numerics;
import io.github.natgrad.linalg.Simd;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.training.StateFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * A saved state records the numerics of the process that wrote it (SIMD lanes, the BLAS and its kernel), and
 * a state from other numerics names the parts that differ; files of format version 1, without the record,
 * still load.
 */
class OptimizerStateHostTest {
    private static final GeneralizedLinearModel MODEL = GeneralizedLinearModel.logisticRegression(4).withBias();

    private static OptimizerState state() {
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).build(MODEL);
        double[] theta = new double[MODEL.parameterCount()];
        opt.step(theta, SyntheticGlm.logistic(50, 4, 2.0, 1).batch());
        return opt.state();
    }

    /** The bytes of a state file: the content, then its CRC-32. */
    private static byte[] withCrc(byte[] content) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(content);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.write(content);
        data.writeLong(crc.getValue());
        return out.toByteArray();
    }

    @Test
    void aStateRecordsTheLanesAndTheBlasKernelAndKeepsThemThroughItsFile() throws IOException {
        assertEquals(Simd.token() + "; " + Blas.describe(), Numerics.host());
        assertEquals(Numerics.host(), OptimizerState.currentHost(), "the library's NumericsEnvironment is found");
        OptimizerState state = state();
        assertEquals(Numerics.host(), state.host());
        assertTrue(state.host().startsWith("lanes=" + Simd.lanes() + "; OpenBLAS "), state.host());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StateFiles.write(state, bytes);
        OptimizerState read = StateFiles.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(state.host(), read.host());
        assertTrue(read.hostDifference().isEmpty(), "same host, no warning");
    }

    @Test
    void aStateFromOtherLanesOrAnotherBlasKernelNamesWhatDiffers() throws IOException {
        OptimizerState state = state();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StateFiles.write(state, bytes);
        byte[] all = bytes.toByteArray();
        byte[] content = java.util.Arrays.copyOf(all, all.length - 8);
        // the same file written on a host with another vector width and BLAS kernel (same string lengths)
        String here = state.host();
        String otherLanes = "lanes=" + (Simd.lanes() == 4 ? 2 : 4);
        String there = here.replaceFirst("^lanes=\\d", otherLanes).replace("OpenBLAS", "OpenBLAZ");
        String text = new String(content, StandardCharsets.ISO_8859_1).replace(here, there);
        OptimizerState read = StateFiles.read(new ByteArrayInputStream(withCrc(text.getBytes(
                StandardCharsets.ISO_8859_1))));
        assertEquals(there, read.host());
        String warning = read.hostDifference().orElseThrow();
        assertTrue(warning.contains(otherLanes + " then, lanes=" + Simd.lanes() + " now"), warning);
        assertTrue(warning.contains("OpenBLAZ") && warning.contains("then, " + Blas.describe() + " now"), warning);
        assertEquals(state, read, "the recorded host is metadata: the state itself is the same");
        // and it can still be restored (a warning, not a refusal)
        NaturalGradient.of(Curvatures.fisher()).build(MODEL).restore(read);
    }

    @Test
    void aVersion1FileWithoutTheRecordStillLoads() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(content);
        out.writeUTF("natgrad-optimizer-state");
        out.writeInt(1);
        out.writeUTF("some-kind");
        out.writeUTF(OptimizerState.fingerprint(MODEL));
        out.writeInt(1);
        out.writeUTF("step");
        out.writeByte(1);
        out.writeLong(7);
        out.flush();
        OptimizerState read = StateFiles.read(new ByteArrayInputStream(withCrc(content.toByteArray())));
        assertEquals("", read.host());
        assertTrue(read.hostDifference().isEmpty());
        assertEquals(7, read.getLong("step"));
    }
}
