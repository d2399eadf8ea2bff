// The version of the Spark that runs, and where it was read (its spark-core jar, else $SPARK_HOME/RELEASE). Pure.
import { sparkVersionOf } from "../render/operator-job.js";

export interface SparkVersion {
  version: string;
  from: string; // for messages: "spark-core_2.13-3.5.1.jar in /opt/spark/jars", "/opt/spark/RELEASE"
}

// The version of a RELEASE file ("Spark 4.1.1 built for Hadoop 3.4.1").
export function sparkVersionOfRelease(text: string): string | undefined {
  return /^Spark (\d+\.\d+\S*)/m.exec(text)?.[1];
}

// From the jar names of its jars/ folder first (what the JVM loads), else the RELEASE file's text; no JVM starts.
export function sparkVersionFrom(x: { jarsDir?: string; jars: string[]; releaseFile?: string; release?: string }): SparkVersion | undefined {
  const fromJars = sparkVersionOf(x.jars);
  if (fromJars !== undefined) {
    const jar = x.jars.find((j) => j.startsWith("spark-core_")) as string;
    return { version: fromJars, from: x.jarsDir ? `${jar} in ${x.jarsDir}` : jar };
  }
  const fromRelease = x.release === undefined ? undefined : sparkVersionOfRelease(x.release);
  return fromRelease === undefined ? undefined : { version: fromRelease, from: x.releaseFile ?? "RELEASE" };
}

export const majorMinor = (v: string): string | undefined => /^(\d+\.\d+)/.exec(v)?.[1];

// The pip line that gives a Python what the driver needs: the project's pins when its Spark is the pinned one, else
// numpy, pyarrow and the pyspark of the Spark that runs (the pinned pyspark would not pair with it).
export function pipLine(sparkVersion: string | undefined, pinnedPyspark: string, needs: string[]): string {
  if (sparkVersion === undefined || majorMinor(sparkVersion) === majorMinor(pinnedPyspark)) return "pip install -r spark-scripts/requirements.txt";
  return `pip install ${[...needs, `pyspark==${sparkVersion}`].join(" ")}`;
}
