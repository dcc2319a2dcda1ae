// A route handler: Next's server layer, which bundles the Node entry too.
import { answer } from "../../answer.js";

export function GET() {
  const { dialect, matches, lint } = answer();
  return Response.json({ dialect, matches, lint });
}
