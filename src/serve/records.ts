// The JSON route for people: {"records": [{col: value}]} in, one prediction per record out, as JSON text.
import { readRecord, RecordError, RowError, type Value } from "../model/index.js";
import { CODES, HttpError, Problems, describeValue, isObject } from "./errors.js";
import { numList, num } from "./json.js";
import { labelText, type ServedVersion } from "./served.js";

// Scores every record of a request body; throws HttpError listing every bad field of every record.
export function predictRecords(v: ServedVersion, body: unknown): { text: string; rows: number } {
  const records = recordsOf(body);
  const schema = v.scorer.inputSchema;
  const values: Value[] = new Array(schema.length);
  const problems = new Problems();
  let out = v.v1Head;
  for (let i = 0; i < records.length; i++) {
    const rec = records[i];
    if (!isObject(rec)) {
      problems.add(`records[${i}]`, `expected an object of input fields, got ${describeValue(rec)}`);
      continue;
    }
    let ok = true;
    try {
      readRecord(schema, rec, values);
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      addRowProblems(problems, `records[${i}]`, err);
      ok = false;
    }
    if (countKeys(rec) !== schema.length || !ok) ok = extraFields(problems, `records[${i}]`, rec, v) && ok;
    if (!ok || problems.total > 0) continue; // keep checking the rest, stop scoring
    try {
      const p = v.scorer.scoreValues(values);
      let item = `{"label":${labelText(v, p.prediction)},"prediction":${num(p.prediction)}`;
      if (p.probability) item += `,"probability":${numList(p.probability)}`;
      if (p.rawPrediction) item += `,"rawPrediction":${numList(p.rawPrediction)}`;
      out += i === 0 ? `${item}}` : `,${item}}`;
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      addRowProblems(problems, `records[${i}]`, err);
    }
  }
  problems.throwIfAny(CODES.badInput, "records");
  return { text: `${out}]}`, rows: records.length };
}

// The records list of a body, or an HttpError saying what the body should look like.
function recordsOf(body: unknown): unknown[] {
  const shape = 'the body must be a JSON object like {"records": [{"column": value, ...}]}';
  if (body === undefined) throw new HttpError(400, CODES.badJson, `the request has no body; ${shape}`);
  if (!isObject(body)) throw new HttpError(400, CODES.badRequest, `${shape}, got ${describeValue(body)}`);
  const problems = new Problems();
  for (const key in body) if (key !== "records") problems.add(key, 'unknown field; the body has only "records"');
  const records = body.records;
  if (records === undefined) problems.add("records", "is missing");
  else if (!Array.isArray(records)) problems.add("records", `expected a list of objects, got ${describeValue(records)}`);
  problems.throwIfAny(CODES.badRequest, "the request body");
  if ((records as unknown[]).length === 0) throw new HttpError(400, CODES.empty, '"records" is empty; send at least one record');
  return records as unknown[];
}

// Adds a RowError (or each part of a RecordError) under a record's path.
function addRowProblems(problems: Problems, at: string, err: RowError): void {
  const parts = err instanceof RecordError ? err.problems : [err];
  for (const p of parts) problems.add(`${at}.${p.field}`, p.message.slice(p.field.length + 2));
}

// Rejects fields the model does not take, naming them; returns false when there were any.
function extraFields(problems: Problems, at: string, rec: Record<string, unknown>, v: ServedVersion): boolean {
  let ok = true;
  for (const key in rec) {
    if (!v.inputNames.has(key)) {
      problems.add(`${at}.${key}`, `unknown field: ${v.tag} takes only ${[...v.inputNames].join(", ")}`);
      ok = false;
    }
  }
  return ok;
}

function countKeys(rec: object): number {
  let n = 0;
  for (const _ in rec) n++;
  return n;
}
