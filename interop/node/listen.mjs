// Records a message over REST, opens Listen with the official .proto, sends a user_message and
// waits for the pushed context bundle. Prints one JSON line with what it saw; exit 0 on success.
// Usage: node listen.mjs <proto> <http-base> <grpc-host:port> <api-key>
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { randomUUID } from 'node:crypto';

const [protoPath, httpBase, grpcTarget, apiKey] = process.argv.slice(2);
const conversationId = randomUUID();
const headers = { 'Authorization': `Bearer ${apiKey}`, 'Content-Type': 'application/json' };

const recorded = await fetch(`${httpBase}/v1/conversations/messages`, {
  method: 'POST', headers,
  body: JSON.stringify({ conversation_id: conversationId, role: 'user', content: 'My parrot is called Kiwi and she talks a lot.',
    user_id: 'node-user', customer_id: null, metadata: {} }),
});
if (recorded.status !== 200) { console.error('record failed', recorded.status, await recorded.text()); process.exit(1); }
await new Promise(r => setTimeout(r, 500)); // let extraction run

const def = protoLoader.loadSync(protoPath, { keepCase: true, longs: Number, defaults: true, oneofs: true });
const synap = grpc.loadPackageDefinition(def).synap.v1;
const client = new synap.SynapService(grpcTarget, grpc.credentials.createInsecure(), {
  'grpc.keepalive_time_ms': 30000, 'grpc.keepalive_permit_without_calls': 1,
});
const md = new grpc.Metadata();
md.add('authorization', `Bearer ${apiKey}`);
md.add('x-client-id', '');
md.add('x-instance-id', '');
const call = client.Listen(md);
const timer = setTimeout(() => { console.error('no bundle within 10 s'); process.exit(1); }, 10000);
let pong = false;
call.on('data', (resp) => {
  if (resp.heartbeat_pong) pong = true;
  if (resp.context_bundle) {
    const b = resp.context_bundle;
    const items = Object.values(b.items_by_type).flatMap(l => l.items);
    console.log(JSON.stringify({ pong, bundle_type: b.bundle_type, user: b.anticipation_user_id,
      conversation: b.anticipation_conversation_id === conversationId, keys: Object.keys(b.items_by_type),
      contents: items.map(i => i.content) }));
    clearTimeout(timer);
    call.end();
    client.close();
    process.exit(items.some(i => i.content.includes('Kiwi')) && pong ? 0 : 1);
  }
});
call.on('error', (e) => { console.error('stream error', e.code, e.details); process.exit(1); });
call.write({ heartbeat_ping: { timestamp_ms: Date.now() } });
call.write({ conversation_event: { event_type: 'user_message', conversation_id: conversationId, user_id: 'node-user',
  role: 'user', content: "what is my parrot's name?", timestamp_ms: Date.now() } });
