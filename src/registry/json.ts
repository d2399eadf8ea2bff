// How registry records are written and read: pretty JSON with a trailing newline.
export const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
export const fromJson = <T>(body: Uint8Array): T => JSON.parse(Buffer.from(body).toString("utf8")) as T;
