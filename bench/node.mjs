// `make bench` (Node part): hookmatch against the peers a Node user would pick.
import { Buffer } from "node:buffer";
import { Base64 } from "js-base64";
import * as hookmatch from "hookmatch";
import sift from "sift";
import { analysisCases, base64Cases, browserImpls, engineCases } from "./cases.mjs";

export function runEngine() {
  return engineCases(hookmatch, sift, 100);
}

export function run() {
  const impls = {
    ...browserImpls(hookmatch),
    Buffer: { encode: (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.length).toString("base64"), decode: (s) => new Uint8Array(Buffer.from(s, "base64")) },
    "js-base64": { encode: (u8) => Base64.fromUint8Array(u8), decode: (s) => Base64.toUint8Array(s) },
  };
  return base64Cases(impls);
}

export function runAnalysis() {
  return analysisCases(hookmatch);
}
