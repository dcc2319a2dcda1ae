// The app a Vite user writes: the package imported by name, no Vite config.
import { Subscription, lint } from "hookmatch";

const sub = Subscription.compile({ url: "https://kb.example.com/h", token: "k", events: ["task.create"] });
window.result = {
  dialect: sub.dialect,
  matches: sub.matches({ event_name: "task.create", event_data: {} }),
  lint: lint({ objCode: "TASK", eventType: "UPDATE", url: "https://h.example.com/x", authToken: "t", filters: [{ fieldName: "a", fieldValue: "1" }, { fieldName: "a", fieldValue: "2" }] }).map((d) => d.code),
};
