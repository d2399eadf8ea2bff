// Optional bearer token: SHA-256 both sides, then a constant-time compare of equal-length digests.
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

// A check of an Authorization header against the token; the comparison time does not depend on the guess.
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    const given = header !== undefined && /^bearer /i.test(header) ? header.slice(7).trim() : "";
    const ok = timingSafeEqual(digest(given), expected);
    return ok && given.length > 0;
  };
}
