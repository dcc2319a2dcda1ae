// Chunked preview of large inputs: NDJSON bytes are fed to `sub.preview` a
// few megabytes of whole lines at a time, so a caller (the CLI's progress bar,
// the playground's Web Worker) can report progress and stop between chunks.
// Indices and line numbers are those of the whole input.

const NEWLINE = 10;

/** True when the first non-blank line is a complete JSON value (NDJSON). */
export function looksLikeNdjson(bytes) {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    const line = new TextDecoder().decode(bytes.subarray(start, Math.min(end, start + (1 << 24))));
    if (line.trim() !== "") {
      try {
        JSON.parse(line);
        return end < bytes.length;
      } catch {
        return false;
      }
    }
    start = end + 1;
  }
  return false;
}

function countLines(bytes) {
  let n = 0;
  for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * Preview `bytes` (a Uint8Array) in chunks. Yields after each chunk:
 * `{ processed, size, total, matched, rows, errors }` where `rows` and
 * `errors` are the new ones of that chunk (rows only with `details`).
 */
export function* previewChunks(sub, bytes, { chunkBytes = 4 << 20, details = true } = {}) {
  const size = bytes.length;
  const whole = !looksLikeNdjson(bytes) || size <= chunkBytes;
  let start = 0;
  let eventBase = 0;
  let lineBase = 0;
  let total = 0;
  let matched = 0;
  while (start < size || (start === 0 && size === 0)) {
    let end = size;
    if (!whole && start + chunkBytes < size) {
      const cut = bytes.lastIndexOf(NEWLINE, start + chunkBytes);
      end = cut > start ? cut + 1 : (bytes.indexOf(NEWLINE, start + chunkBytes) + 1 || size);
    }
    const chunk = bytes.subarray(start, end);
    const r = sub.preview(chunk, { details });
    const shift = (x) => ({ ...x, index: x.index + eventBase, ...(x.line !== undefined ? { line: x.line + lineBase } : {}) });
    total += r.total;
    matched += r.matched;
    const rows = details ? r.results.map(shift) : [];
    const errors = r.errors.map(shift);
    eventBase += r.total;
    lineBase += countLines(chunk);
    start = end;
    yield { processed: end, size, total, matched, rows, errors };
    if (size === 0) break;
  }
}
