// The Kubernetes example and the Containerfile: they parse, their kinds, the probes hit routes serve really has (and that
// need no token), no secret value is written inline, and the container runs serve as a non-root user.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../helpers/cli.js";

const dir = join(projectRoot, "deploy", "kubernetes");
const docs = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), "utf8")).map((d) => {
      expect(d.errors, file).toEqual([]);
      return { file, doc: d.toJS() as Record<string, any> };
    }),
  );
const ofKind = (kind: string) => docs.filter((d) => d.doc.kind === kind).map((d) => d.doc);

// The GET routes serve registers for the Open Inference Protocol, read from its source.
const oipSource = readFileSync(join(projectRoot, "src", "serve", "http", "routes-oip.ts"), "utf8");
const getRoutes = [...oipSource.matchAll(/app\.get\("([^"]+)"/g)].map((m) => m[1]);
const openRoutes = /const isOpenPath = [^\n]+/.exec(readFileSync(join(projectRoot, "src", "serve", "http", "app.ts"), "utf8"))?.[0] ?? "";

describe("deploy/kubernetes", () => {
  it("holds a Deployment, a Service and a Secret example", () => {
    expect(docs.map((d) => d.doc.kind).sort()).toEqual(["Deployment", "Secret", "Service"]);
  });

  it("probes the OIP health routes, which exist and need no token, on the container's named port", () => {
    const [deployment] = ofKind("Deployment");
    const container = deployment!.spec.template.spec.containers[0];
    const probes = { liveness: container.livenessProbe, readiness: container.readinessProbe, startup: container.startupProbe };
    expect(probes.liveness.httpGet.path).toBe("/v2/health/live");
    expect(probes.readiness.httpGet.path).toBe("/v2/health/ready");
    for (const p of Object.values(probes)) {
      expect(getRoutes).toContain(p.httpGet.path);
      expect(openRoutes).toContain(`"${p.httpGet.path}"`);
      expect(container.ports.map((x: { name: string }) => x.name)).toContain(p.httpGet.port);
    }
  });

  it("the Service selects the Deployment's pods and targets its port", () => {
    const [deployment] = ofKind("Deployment");
    const [service] = ofKind("Service");
    expect(deployment!.spec.template.metadata.labels).toMatchObject(service!.spec.selector);
    expect(deployment!.spec.selector.matchLabels).toEqual(service!.spec.selector);
    expect(service!.spec.ports[0].targetPort).toBe("http");
  });

  it("no secret value inline: the Secret's values are empty, credentials and the token come from it", () => {
    const [secret] = ofKind("Secret");
    for (const v of Object.values({ ...(secret!.data ?? {}), ...(secret!.stringData ?? {}) })) expect(v).toBe("");
    const [deployment] = ofKind("Deployment");
    const pod = deployment!.spec.template.spec;
    const env = pod.containers[0].env as { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
    for (const e of env.filter((x) => /SECRET|KEY_ID|TOKEN|PASSWORD/.test(x.name))) {
      expect(e.value, e.name).toBeUndefined();
      expect(e.valueFrom?.secretKeyRef?.name).toBe(secret!.metadata.name);
    }
    expect(pod.containers[0].args).toContain("--token-file");
    expect(pod.volumes.find((v: { secret?: { secretName: string } }) => v.secret)?.secret.secretName).toBe(secret!.metadata.name);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
  });
});

describe("deploy/container/Containerfile", () => {
  const text = readFileSync(join(projectRoot, "deploy", "container", "Containerfile"), "utf8");
  it("runs serve on every interface as a non-root user, with a HEALTHCHECK on a real route, and no JVM or Python", () => {
    expect(text).toMatch(/^USER 10001/m);
    expect(text).toMatch(/^ENTRYPOINT \[.*"serve", "--host", "0\.0\.0\.0"/m);
    const health = /^HEALTHCHECK[\s\S]*?(\/v2\/health\/\w+)/m.exec(text)?.[1];
    expect(getRoutes).toContain(health);
    expect(text).not.toMatch(/openjdk|python3|apt-get install/i);
  });
});
