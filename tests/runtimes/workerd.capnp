# workerd config for the runtime test: the worker and the package's files as
# named modules (raw workerd does no node_modules lookup). "hookmatch" is the
# package's workerd entry; its relative imports resolve against that name.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .hookmatchWorker) ],
  sockets = [ ( name = "http", address = "127.0.0.1:8787", http = (), service = "main" ) ],
);

const hookmatchWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "smoke.js", esModule = embed "smoke.js"),
    (name = "hookmatch", esModule = embed "../../pkg/workerd.js"),
    (name = "hookmatch.js", esModule = embed "../../pkg/hookmatch.js"),
    (name = "objects.js", esModule = embed "../../pkg/objects.js"),
    (name = "runtime.js", esModule = embed "../../pkg/runtime.js"),
    (name = "api.js", esModule = embed "../../pkg/api.js"),
    (name = "hookmatch_bg.wasm", wasm = embed "../../pkg/hookmatch_bg.wasm"),
  ],
  compatibilityDate = "2025-01-01",
);
