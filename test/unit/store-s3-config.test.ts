// How the S3 store reads its location and settings (no server needed).
import { describe, expect, it } from "vitest";
import { resolveS3Settings } from "../../src/store/s3-config.js";
import { parseS3Location } from "../../src/store/s3-location.js";
import { openStore } from "../../src/store/index.js";

describe("parseS3Location", () => {
  it.each([
    ["s3://bkt", { bucket: "bkt", prefix: "" }],
    ["s3://bkt/", { bucket: "bkt", prefix: "" }],
    ["s3://bkt/a/b/", { bucket: "bkt", prefix: "a/b" }],
    ["s3a://my.bucket-1/p", { bucket: "my.bucket-1", prefix: "p" }],
  ])("%s", (location, want) => expect(parseS3Location(location)).toEqual(want));

  it.each(["s3://", "s3://B/p", "s3://ab/p", "s3://bkt/a//b", "s3://bkt/a/../b"])("refuses %s", (location) => {
    expect(() => parseS3Location(location)).toThrow(/invalid S3 store/);
  });
});

describe("resolveS3Settings", () => {
  it.each([
    ["nothing set: AWS in us-east-1, virtual-hosted, default credential chain", {}, {}, { region: "us-east-1", endpoint: undefined, forcePathStyle: false, credentials: undefined, maxAttempts: 5 }],
    ["AWS_REGION before AWS_DEFAULT_REGION before the option", { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-west-2" }, { region: "ap-south-1" }, { region: "eu-west-1" }],
    ["AWS_DEFAULT_REGION", { AWS_DEFAULT_REGION: "us-west-2" }, { region: "ap-south-1" }, { region: "us-west-2" }],
    ["the region option", {}, { region: "ap-south-1" }, { region: "ap-south-1" }],
    ["AWS_ENDPOINT_URL_S3 first, path style on", { AWS_ENDPOINT_URL_S3: "http://a:9000", AWS_ENDPOINT_URL: "http://b" }, { endpoint: "http://c" }, { endpoint: "http://a:9000", forcePathStyle: true }],
    ["then AWS_ENDPOINT_URL", { AWS_ENDPOINT_URL: "http://b" }, { endpoint: "http://c" }, { endpoint: "http://b" }],
    ["then the endpoint option", {}, { endpoint: "http://c" }, { endpoint: "http://c", forcePathStyle: true }],
    ["MLSHIP_S3_PATH_STYLE=0 turns path style off", { AWS_ENDPOINT_URL: "http://b", MLSHIP_S3_PATH_STYLE: "0" }, {}, { forcePathStyle: false }],
    ["MLSHIP_S3_PATH_STYLE=1 turns it on for AWS", { MLSHIP_S3_PATH_STYLE: "1" }, { pathStyle: false }, { forcePathStyle: true }],
    ["the pathStyle option", {}, { pathStyle: true }, { forcePathStyle: true }],
    ["keys in the given env", { AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" }, {}, { credentials: { accessKeyId: "id", secretAccessKey: "s", sessionToken: "t" } }],
    ["an id without a secret leaves the chain", { AWS_ACCESS_KEY_ID: "id" }, {}, { credentials: undefined }],
    ["empty values count as unset", { AWS_REGION: " ", AWS_ENDPOINT_URL_S3: "" }, {}, { region: "us-east-1", endpoint: undefined }],
  ])("%s", (_name, env, options, want) => {
    expect(resolveS3Settings(env, options)).toMatchObject(want);
  });
});

describe("openStore", () => {
  it("opens s3:// and s3a:// synchronously, without contacting S3", () => {
    expect(openStore("s3://bkt/p", "/", {}).location).toBe("s3://bkt/p");
    expect(openStore("s3a://bkt/p", "/", {}).location).toBe("s3://bkt/p");
  });

  it("still refuses other schemes", () => {
    expect(() => openStore("gs://bkt/p", "/", {})).toThrow(/unsupported store/);
  });
});
