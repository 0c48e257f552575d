package io.github.natgrad.bench.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.bench.problems.PaperProblems;
import io.github.natgrad.bench.problems.Problem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fig. 1 against the authors' code. Expected values were printed by their {@code experiments/vecfield} code
 * (numpy 2.4.6, scipy 1.17.1): {@code load_problem()} for θ*, {@code problem.hess}, {@code problem.ef} and the
 * three {@code vectorFunctions} at the starts, and their runner's Euler loop for the trajectory rows;
 * θ* itself is {@code np.linalg.solve(XᵀX/N + I/(0.1 N), Xᵀy/N)} (their CG solve agrees to 2e-14).
 */
class VecfieldExperimentTest {
    private static final Problem PROBLEM = PaperProblems.vecfield(0);

    @Test
    void thetaStarAndTheMatricesThereAreTheAuthors() {
        VecfieldExperiment.Summary s = VecfieldExperiment.summary(PROBLEM);
        assertEquals(2.01198287598356, s.optimum().theta()[0], 1e-13);
        assertEquals(1.9854732542077524, s.optimum().theta()[1], 1e-13);
        assertTrue(s.optimum().gradientNorm() < 1e-14, "gradient at theta* " + s.optimum().gradientNorm());
        assertMatrix(new double[] {1.01, 1.2725330704899211, 2.761459430787703}, s.hessian(), 1e-13);
        assertMatrix(new double[] {0.9373326433313939, 1.2352255860987502, 2.8198816570248595}, s.empiricalFisher(), 1e-12);
    }

    @Test
    void theFieldsAreTheAuthors() {
        VectorFields f = new VectorFields(PROBLEM);
        assertVector(-1.0625719119695471, -2.309504996722424, f.at(VectorFields.Kind.GD, new double[] {2, 4.5}));
        assertVector(0.01198284834559206, -2.514526723950363, f.at(VectorFields.Kind.NGD, new double[] {2, 4.5}));
        assertVector(-1.0005551459267332, 0.14666949449312844, f.at(VectorFields.Kind.EF, new double[] {2, 4.5}));
        assertVector(1.1828943604320015, 2.2568618396224416, f.at(VectorFields.Kind.GD, new double[] {1, 0}));
        assertVector(1.011982873692711, 1.985473248073476, f.at(VectorFields.Kind.NGD, new double[] {1, 0}));
        assertVector(0.9848285593838644, -0.14259062959195581, f.at(VectorFields.Kind.EF, new double[] {1, 0}));
    }

    /** field/start, then rows 200 and 204 (θ₁, θ₂) of the authors' Euler loop. */
    private static final String[][] AUTHORS_ROWS = {
            {"gd/0", "1.8121818378331715", "4.085720954147967", "1.8088937536978575", "4.078339256199722"},
            {"ngd/0", "2.002173104056147", "4.043987634923049", "2.0022122842342225", "4.035765920325782"},
            {"ef/0", "1.7986661242065434", "4.529451128017215", "1.7946183845409385", "4.5300416815399505"},
            {"gd/1", "1.2115299599904885", "0.4037115406330614", "1.2152852308975322", "0.41088133815553546"},
            {"ngd/1", "1.1835242787317397", "0.3600678976840683", "1.1868331456746903", "0.3665597731579928"},
            {"ef/1", "1.2001955780233917", "-0.029073322040159513", "1.2042660555494398", "-0.029666146292429522"},
            {"gd/2", "4.269911491065169", "2.6459178255040463", "4.265756312123318", "2.639666338757295"},
            {"ngd/2", "4.04879519010002", "2.816014384124968", "4.040660153727954", "2.8126971994709766"},
            {"ef/2", "4.312621137594266", "3.022369459108269", "4.308792111722483", "3.0228311187181065"},
            {"gd/3", "-0.4205831192516997", "3.0208589857492565", "-0.41906498086298005", "3.021172711864998"},
            {"ngd/3", "-0.04444897663882669", "2.816014393039824", "-0.036235579825422394", "2.812697208527812"},
            {"ef/3", "-0.19136332759811364", "2.921723918152865", "-0.1850103874272459", "2.9200818800064803"},
    };

    @Test
    void trajectoriesFollowTheAuthorsEulerSteps(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new VecfieldExperiment(dir, new PrintStream(log, true, "UTF-8"), 205, 2).run(PROBLEM);
        Path out = dir.resolve("vecfield");
        List<String> lines = Files.readAllLines(out.resolve("trajectories.csv"));
        assertEquals("field,start,step,theta1,theta2", lines.get(0));
        assertEquals(1 + 12 * 22, lines.size()); // rows 0, 10, ..., 200 and the last, 204, of 4 starts x 3 fields
        Map<String, double[]> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            rows.put(c[0] + "/" + c[1] + "/" + c[2], new double[] {Double.parseDouble(c[3]), Double.parseDouble(c[4])});
        }
        assertVector(2, 4.5, rows.get("ef/0/0"));
        assertVector(-0.5, 3, rows.get("gd/3/0"));
        for (String[] r : AUTHORS_ROWS) {
            assertVector(Double.parseDouble(r[1]), Double.parseDouble(r[2]), rows.get(r[0] + "/200"), 1e-13);
            assertVector(Double.parseDouble(r[3]), Double.parseDouble(r[4]), rows.get(r[0] + "/204"), 1e-13);
        }
        for (String f : new String[] {"gd", "ngd", "ef"}) {
            assertTrue(Files.size(out.resolve("vecfield-" + f + ".png")) > 0);
            assertTrue(Files.size(out.resolve("vecfield-" + f + ".svg")) > 0);
        }
        List<String> optimum = Files.readAllLines(out.resolve("optimum.csv"));
        assertEquals("theta1,theta2,grad_norm,h11,h12,h22,ef11,ef12,ef22", optimum.get(0));
        assertEquals(2.01198287598356, Double.parseDouble(optimum.get(1).split(",")[0]), 1e-13);
        assertEquals(2.8198816570248595, Double.parseDouble(optimum.get(1).split(",")[8]), 1e-12);
        List<String> fields = Files.readAllLines(out.resolve("fields.csv"));
        assertEquals(1 + 12, fields.size());
        String[] ef0 = fields.stream().filter(l -> l.startsWith("ef,0,")).findFirst().orElseThrow().split(",");
        assertEquals(-1.0005551459267332, Double.parseDouble(ef0[4]), 1e-12);
        assertEquals(0.14666949449312844, Double.parseDouble(ef0[5]), 1e-12);
    }

    @Test
    void aTrajectoryNeedsARow() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new VecfieldExperiment(Path.of("unused"), System.out, 0, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new VecfieldExperiment(Path.of("unused"), System.out, 10, 0));
    }

    private static void assertMatrix(double[] upper, double[] dense, double tol) {
        assertEquals(upper[0], dense[0], tol);
        assertEquals(upper[1], dense[1], tol);
        assertEquals(upper[1], dense[2], tol);
        assertEquals(upper[2], dense[3], tol);
    }

    private static void assertVector(double a, double b, double[] v) {
        assertVector(a, b, v, 1e-12);
    }

    private static void assertVector(double a, double b, double[] v, double tol) {
        assertEquals(a, v[0], tol * Math.max(1, Math.abs(a)));
        assertEquals(b, v[1], tol * Math.max(1, Math.abs(b)));
    }
}
