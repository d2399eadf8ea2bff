// The reference values of test/unit/model-ddot.test.ts: Java's Math.fma and netlib's VectorBLAS ddot (the BLAS
// Spark 4.1.1 uses for dense dot products) on extreme operands. Regenerate with
//   java --add-modules jdk.incubator.vector -cp .venv/lib/python3.11/site-packages/pyspark/jars/blas-3.0.4.jar \
//     test/helpers/DdotOracle.java
// (prints the lane count, then one line per fma case and per dot row: operands and result as IEEE bit patterns).
import dev.ludovic.netlib.blas.JavaBLAS;

public class DdotOracle {
  static String bits(double d) { return "0x" + String.format("%016x", Double.doubleToRawLongBits(d)); }

  public static void main(String[] args) {
    double tiny = Double.MIN_VALUE, max = Double.MAX_VALUE;
    double[][] fma = {
      {1e300, 3.7, 0}, {1.7e308, 0.5, -1e308}, {1e308, 2.5, -1.7e308}, {max, 1 + Math.ulp(1.0), -max},
      {1.7e308, 1.7e308, -1e308}, {-1.7e308, 1.7e308, 1e308}, {1e300, -1e10, 1e308}, {-1e308, 1.0000001, 1.7e308},
      {2e300, 3e10, 4e299}, {1e308, 1e10, Double.NEGATIVE_INFINITY},
      {1e-200, 3e-120, 1e-310}, {1e-160, 1e-160, -1e-320}, {3 * tiny, 0.5, 0}, {5 * tiny, 0.5, 0},
      {-1e-200, 1e-200, 0}, {1e-200, 1e-200, -0.0}, {1e-300, 1e-300, 1e-10}, {1e200, 1e-300, 1e-100},
      {1.5e-300, 2.5e-30, -3.75e-320}, {1e300, 1e-300, -1}, {3.0, 7.0, -21.0}, {0.1, 10, -1},
    };
    JavaBLAS blas = JavaBLAS.getInstance();
    System.out.println("lanes " + jdk.incubator.vector.DoubleVector.SPECIES_MAX.length() + " " + blas.getClass().getName());
    for (double[] c : fma) System.out.println("fma " + bits(c[0]) + " " + bits(c[1]) + " " + bits(c[2]) + " " + bits(Math.fma(c[0], c[1], c[2])));
    // 24 ordinary features (the same formulas in the test), with extreme values put in.
    double[] coef = new double[24];
    for (int j = 0; j < 24; j++) coef[j] = (j % 3 == 0 ? -1 : 1) * (0.37 + j * 0.113);
    double[][] xs = new double[8][24];
    for (int r = 0; r < xs.length; r++) for (int j = 0; j < 24; j++) xs[r][j] = (j % 2 == 0 ? 1 : -1) * (1000 + 37 * j + r);
    xs[0][3] = 1e300; xs[1][3] = -1e308; xs[1][11] = 1.7e308; xs[2][0] = 1.7e308; xs[2][8] = 1.7e308; xs[2][16] = -1.7e308;
    xs[3][5] = 1e300; xs[3][13] = -1e300; xs[4][2] = 1e308; xs[4][10] = 1e308; xs[4][18] = 1e308; xs[4][23] = -1e308;
    xs[5][1] = 1e-300; xs[5][9] = 1e-320; xs[6][7] = max; xs[6][15] = -max; xs[7][6] = 1.7e308; xs[7][22] = -1.7e308;
    for (double[] x : xs) System.out.println("dot " + bits(blas.ddot(24, x, 1, coef, 1)));
  }
}
