// The README walk-through, as an independent client written only against the served OpenAPI document: types from
// openapi-typescript (generated/herald.d.ts, made by the test from the live server), calls by openapi-fetch.
// Compiled with tsc --strict, so a field the document types wrongly fails the build, not the run.
// Usage: node out/walkthrough.js <base URL> <operator token>; prints the message's final status as JSON.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/herald.js";

type MessageStatus = components["schemas"]["MessageStatusView"]["status"];

const [baseUrl, operatorToken] = process.argv.slice(2);
if (!baseUrl || !operatorToken) {
  console.error("usage: walkthrough.js <base URL> <operator token>");
  process.exit(2);
}

function fail(step: string, error: unknown, status: number): never {
  console.error(`${step}: HTTP ${status} ${JSON.stringify(error)}`);
  process.exit(1);
}

// The operator creates a business allowed to call from this machine, and issues it an API key.
const operator = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${operatorToken}` } });
const businessId = `walk_${Date.now()}`;
const created = await operator.POST("/admin/v1/businesses", {
  body: { business_id: businessId, name: "Acme Parcels", verified: true, allowed_ips: ["127.0.0.1", "::1"], learn_more_url: "https://acme.example/about" },
});
if (!created.data) fail("create business", created.error, created.response.status);
const issued = await operator.POST("/admin/v1/businesses/{businessId}/keys", { params: { path: { businessId: created.data.business_id } } });
if (!issued.data) fail("issue key", issued.error, issued.response.status);

// The business sends a message to a phone nobody registered, then reads its status until it ends.
const business = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${issued.data.api_key}` } });
const sent = await business.POST("/v1/messages", {
  body: { to: "+447700900999", category: "transactional", text: "Your parcel arrives today between 2 and 4 pm", tracking_data: "order-42" },
});
if (!sent.data) fail("send", sent.error, sent.response.status);

// The document's enums reach the types: a category outside them does not compile.
// @ts-expect-error "spam" is not a category
const refused: components["schemas"]["SendMessageRequest"]["category"] = "spam";
void refused;

let status: MessageStatus = "accepted";
let reason: string | null | undefined;
for (let i = 0; i < 100 && (status === "accepted" || status === "delivered"); i++) {
  const read = await business.GET("/v1/messages/{messageId}", { params: { path: { messageId: sent.data.message_id } } });
  if (!read.data) fail("read status", read.error, read.response.status);
  status = read.data.status;
  reason = read.data.reason;
  if (status === "accepted") await new Promise((resolve) => setTimeout(resolve, 100));
}

// A problem answer is typed too: its code is one of the operation's documented codes.
const missing = await business.GET("/v1/messages/{messageId}", { params: { path: { messageId: "msg_nonexistent" } } });
const code = missing.error?.code;

console.log(JSON.stringify({ message_id: sent.data.message_id, status, reason, not_found_code: code }));
