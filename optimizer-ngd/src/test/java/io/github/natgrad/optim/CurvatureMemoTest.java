package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The memo finds a weight vector only when it is equal bit for bit, and forgets the least recently used. */
class CurvatureMemoTest {

    @Test
    void findsOnlyBitEqualWeightsAndForgetsTheLeastRecentlyUsed() {
        CurvatureMemo memo = new CurvatureMemo(3, 6, 9);
        double[] w = {0.25, 0.0, 0.25, /* second vector at 3 */ 0.25, -0.0, 0.25};
        CurvatureMemo.Entry e = memo.add(CurvatureMemo.hash(w, 0, 3), w, 0);
        assertSame(e, memo.find(CurvatureMemo.hash(w, 0, 3), w, 0));
        // -0.0 and 0.0 are different weights (a curvature's sums may keep the sign of a zero)
        assertNull(memo.find(CurvatureMemo.hash(w, 3, 3), w, 3));
        // a weight one ulp away is another curvature
        double[] near = {0.25, 0.0, Math.nextUp(0.25)};
        assertNull(memo.find(CurvatureMemo.hash(near, 0, 3), near, 0));
        // the factor kept for a damping is returned for that damping only
        double[] kept = e.keepFactor(1e-3);
        assertEquals(9, kept.length);
        kept[0] = 2.0;
        e.keepNotPositiveDefinite(1.0);
        assertSame(kept, e.factor(1e-3));
        assertSame(CurvatureMemo.NOT_POSITIVE_DEFINITE, e.factor(1.0));
        assertNull(e.factor(1e-2));
        // one factor per damping: a second keep for 1e-3 gets nothing to fill
        assertNull(e.keepFactor(1e-3));
        // filling the memo drops the least recently used entry, not the one just found
        double[][] others = new double[CurvatureMemo.CAPACITY][];
        for (int i = 0; i < CurvatureMemo.CAPACITY; i++) {
            others[i] = new double[] {i + 1.0, 1.0, 1.0};
            memo.add(CurvatureMemo.hash(others[i], 0, 3), others[i], 0);
            assertNotNull(memo.find(CurvatureMemo.hash(w, 0, 3), w, 0));
        }
        assertNull(memo.find(CurvatureMemo.hash(others[0], 0, 3), others[0], 0));
        assertNotNull(memo.find(CurvatureMemo.hash(others[1], 0, 3), others[1], 0));
    }
}
