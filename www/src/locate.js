// Where a JSON Pointer points in JSON text: {line, column} (1-based) of the
// member's key (or the array element / root value). A small position-keeping
// scanner: the wasm core works on parsed values and knows no positions.

export function locate(text, pointer) {
  const target = pointer === "" ? [] : pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const str = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch {
      return null;
    }
  };
  const skip = (depth) => {
    ws();
    if (depth > 200) throw new Error("too deep");
    const c = text[i];
    if (c === '"') return void str();
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === "{") {
          ws();
          str();
          ws();
          i++; // :
        }
        skip(depth + 1);
        ws();
        if (text[i] === ",") i++;
        else {
          i++;
          return;
        }
      }
    }
    while (i < text.length && !",}] \t\r\n".includes(text[i])) i++;
  };
  // Walk down the pointer, remembering the last position reached.
  let found = 0;
  try {
    ws();
    found = i;
    for (const token of target) {
      ws();
      const c = text[i];
      if (c !== "{" && c !== "[") break;
      i++;
      let hit = false;
      for (let n = 0; ; n++) {
        ws();
        if (text[i] === "}" || text[i] === "]" || i >= text.length) break;
        let keyAt = i;
        let key = String(n);
        if (c === "{") {
          key = str();
          ws();
          i++; // :
        }
        ws();
        if (key === token) {
          found = c === "{" ? keyAt : i;
          hit = true;
          break;
        }
        skip(0);
        ws();
        if (text[i] === ",") i++;
      }
      if (!hit) break;
    }
  } catch {
    // Broken JSON: keep the deepest position reached.
  }
  return position(text, found);
}

export function position(text, offset) {
  let line = 1;
  let last = -1;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      last = k;
    }
  }
  return { line, column: offset - last };
}
