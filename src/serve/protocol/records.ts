// The JSON route for people: {"records": [{col: value}]} in, one prediction per record out, as JSON text.
import { readRecord, RecordError, RowError, type Value } from "../../model/index.js";
import { CODES, HttpError, Problems, describeValue, isObject, type FieldProblem } from "./errors.js";
import { UnseenCounts } from "./inputs.js";
import { DEFAULT_POLICY, type InputPolicy } from "../runtime/options.js";
import { numList, num } from "./json.js";
import { labelText, type ServedVersion } from "../runtime/served.js";

export interface RecordsAnswer {
  text: string;
  rows: number;
  skipped: number; // records left out (on_invalid=skip)
  unseen: UnseenCounts;
}

// Scores every record of a request body through the input contract. on_invalid=fail (the default) throws an
// HttpError listing every bad field of every record; skip answers null for those records and lists them.
export function predictRecords(v: ServedVersion, body: unknown, policy: InputPolicy = DEFAULT_POLICY): RecordsAnswer {
  const records = recordsOf(body);
  const rules = v.scorer.inputRules(policy.mode);
  const strict = policy.mode === "strict";
  const values: Value[] = new Array(rules.length);
  const problems = new Problems();
  const unseen = new UnseenCounts();
  const skip = policy.onInvalid === "skip";
  const invalid: string[] = [];
  let skipped = 0;
  let out = v.v1Head;
  for (let i = 0; i < records.length; i++) {
    const rec = records[i];
    const at = `records[${i}]`;
    const mine = skip ? new Problems() : problems; // skip: each record's problems on their own
    const before = mine.total;
    if (!isObject(rec)) mine.add(at, `expected an object of input fields, got ${describeValue(rec)}`);
    else {
      try {
        readRecord(rules, rec, values);
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        addRowProblems(mine, at, err);
      }
      if (strict && countKeys(rec) !== rules.length) extraFields(mine, at, rec, v);
    }
    if (mine.total === before && problems.total === 0) {
      try {
        const p = v.scorer.scoreValues(values);
        let item = `{"label":${labelText(v, p.prediction)},"prediction":${num(p.prediction)}`;
        if (p.probability) item += `,"probability":${numList(p.probability)}`;
        if (p.rawPrediction) item += `,"rawPrediction":${numList(p.rawPrediction)}`;
        out += i === 0 ? `${item}}` : `,${item}}`;
        for (let c = 0; c < rules.length; c++) if (rules[c]!.unseen(values[c]!)) unseen.add(rules[c]!.column.name);
        continue;
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        addRowProblems(mine, at, err);
      }
    }
    if (skip) {
      out += i === 0 ? "null" : ",null";
      skipped++;
      for (const p of mine.list) invalid.push(invalidItem(i, p));
    }
  }
  problems.throwIfAny(CODES.badInput, "records");
  const tail = skip ? `],"invalid":[${invalid.join(",")}]}` : "]}";
  return { text: `${out}${tail}`, rows: records.length, skipped, unseen };
}

// One skipped record's problem as JSON text: {"record": i, "field": "…", "reason": "…"}.
function invalidItem(record: number, p: FieldProblem): string {
  const field = p.field.slice(`records[${record}]`.length).replace(/^\./, "");
  return `{"record":${record},"field":${JSON.stringify(field)},"reason":${JSON.stringify(p.reason)}}`;
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

// Strict inputs: fields the model does not take are refused, by name.
function extraFields(problems: Problems, at: string, rec: Record<string, unknown>, v: ServedVersion): void {
  for (const key in rec) {
    if (!v.inputNames.has(key)) problems.add(`${at}.${key}`, `unknown field: ${v.tag} takes only ${[...v.inputNames].join(", ")} (strict inputs)`);
  }
}

function countKeys(rec: object): number {
  let n = 0;
  for (const _ in rec) n++;
  return n;
}
