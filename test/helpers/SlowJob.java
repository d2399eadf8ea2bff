// A tiny Spark application for test/integration/cluster-mode.test.ts (compiled there against the venv Spark jars):
// a SparkSession, one slow job (each of N tasks sleeps a second), then exit.
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.api.java.JavaSparkContext;

public class SlowJob {
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    SparkSession spark = SparkSession.builder().appName("mlship-slow-job").getOrCreate();
    JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
    List<Integer> tasks = new ArrayList<>();
    for (int i = 0; i < seconds; i++) tasks.add(i);
    long n = sc.parallelize(tasks, seconds).map(i -> { Thread.sleep(1000); return i; }).count();
    System.out.println("slow job done: " + n + " tasks");
    spark.stop();
  }
}
