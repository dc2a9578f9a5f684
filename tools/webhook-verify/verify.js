// Verifies one Herald callback with the Standard Webhooks reference library, not Herald's own code.
// Input on stdin, JSON: {"secret": "whsec_…", "id": "…", "timestamp": "…", "signature": "…", "body_base64": "…"}.
// Exit 0 only if new Webhook(secret).verify(body, headers) succeeds; 1 (and the reason on stderr) otherwise.
const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  try {
    const post = JSON.parse(input);
    const body = Buffer.from(post.body_base64, "base64"); // the raw bytes as received, not re-encoded text
    new Webhook(post.secret).verify(body, {
      "webhook-id": post.id,
      "webhook-timestamp": post.timestamp,
      "webhook-signature": post.signature,
    });
    console.log(`verified ${post.id}`);
    process.exit(0);
  } catch (error) {
    console.error(`not verified: ${error.message}`);
    process.exit(1);
  }
});
