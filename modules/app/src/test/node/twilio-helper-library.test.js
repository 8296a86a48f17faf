// Drives convo's REST front with Twilio's own helper library (twilio 6.x), as a Twilio Conversations user would:
// only the base URL changes, through the library's documented custom httpClient. Run by TwilioHelperLibraryIT with
// CONVO_REST_URL, CONVO_ACCOUNT_SID, CONVO_AUTH_TOKEN, CONVO_SECOND_SERVICE and CONVO_PARTICIPANT_LIMIT set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const twilio = require('twilio');

const BASE = process.env.CONVO_REST_URL;
const ACCOUNT = process.env.CONVO_ACCOUNT_SID;
const TOKEN = process.env.CONVO_AUTH_TOKEN;
const SECOND_SERVICE = process.env.CONVO_SECOND_SERVICE;
const PARTICIPANT_LIMIT = Number(process.env.CONVO_PARTICIPANT_LIMIT);
const TWILIO = 'https://conversations.twilio.com';

/** The helper library's custom httpClient (RequestClient interface): Twilio's URLs, sent to convo. */
class ConvoHttpClient {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }

  async request(opts) {
    const url = new URL(opts.uri.startsWith(TWILIO) ? this.baseUrl + opts.uri.slice(TWILIO.length) : opts.uri);
    for (const [k, v] of Object.entries(opts.params || {})) {
      if (v !== undefined) [].concat(v).forEach((x) => url.searchParams.append(k, String(x)));
    }
    const headers = { ...(opts.headers || {}) };
    if (opts.username) {
      headers.Authorization = 'Basic ' + Buffer.from(`${opts.username}:${opts.password}`).toString('base64');
    }
    let body;
    if (opts.data) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.data)) {
        if (v !== undefined) [].concat(v).forEach((x) => form.append(k, x === null ? '' : String(x)));
      }
      body = form.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, { method: opts.method.toUpperCase(), headers, body });
    const responseHeaders = {};
    res.headers.forEach((v, k) => { responseHeaders[k] = v; });
    return { statusCode: res.status, body: await res.text(), headers: responseHeaders };
  }
}

const client = twilio(ACCOUNT, TOKEN, { httpClient: new ConvoHttpClient(BASE) });
const v1 = client.conversations.v1;

async function rejects(promise, status, code) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.constructor.name, 'RestException', `a RestException, not ${e}`);
    assert.equal(e.status, status, `status of ${e.message}`);
    assert.equal(e.code, code, `code of ${e.message}`);
    return true;
  });
}

const run = Date.now().toString(36);
let conversation;
let alice;
let sms;
const messages = [];

test('creates, fetches (by sid and unique name), updates and lists a conversation', async () => {
  conversation = await v1.conversations.create({
    friendlyName: 'Support', uniqueName: `support-${run}`, attributes: JSON.stringify({ tier: 'gold' }),
  });
  assert.match(conversation.sid, /^CH[0-9a-f]{32}$/);
  assert.match(conversation.accountSid, /^AC/);
  assert.match(conversation.chatServiceSid, /^IS[0-9a-f]{32}$/);
  assert.equal(conversation.state, 'active');
  assert.ok(conversation.dateCreated instanceof Date && !isNaN(conversation.dateCreated));
  assert.equal((await v1.conversations(`support-${run}`).fetch()).sid, conversation.sid);
  const updated = await v1.conversations(conversation.sid).update({ friendlyName: 'Support, renamed' });
  assert.equal(updated.friendlyName, 'Support, renamed');
  assert.equal(JSON.parse(updated.attributes).tier, 'gold');
  const all = await v1.conversations.list();
  assert.ok(all.some((c) => c.sid === conversation.sid));
});

test('adds chat and SMS participants and lists them', async () => {
  alice = await v1.conversations(conversation.sid).participants.create({ identity: 'alice' });
  assert.match(alice.sid, /^MB[0-9a-f]{32}$/);
  assert.equal(alice.identity, 'alice');
  assert.equal(alice.messagingBinding, null);
  assert.match(alice.roleSid, /^RL[0-9a-f]{32}$/);
  await v1.conversations(conversation.sid).participants.create({ identity: 'bob' });
  sms = await v1.conversations(conversation.sid).participants.create({
    'messagingBinding.address': '+15551230001', 'messagingBinding.proxyAddress': '+15559990000',
  });
  assert.deepEqual(sms.messagingBinding, { type: 'sms', address: '+15551230001', proxy_address: '+15559990000' });
  const listed = await v1.conversations(conversation.sid).participants.list();
  assert.deepEqual(listed.map((p) => p.sid).sort(), [alice.sid, sms.sid, listed.find((p) => p.identity === 'bob').sid].sort());
  assert.equal((await v1.conversations(conversation.sid).participants('bob').fetch()).identity, 'bob');
});

test('sends messages and lists them, paging forwards in both orders and backwards', async () => {
  for (let i = 0; i < 7; i++) {
    messages.push(await v1.conversations(conversation.sid).messages.create({ author: 'alice', body: `hello ${i}` }));
  }
  assert.deepEqual(messages.map((m) => m.index), [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(messages[0].participantSid, alice.sid);
  assert.match(messages[0].sid, /^IM[0-9a-f]{32}$/);
  const asc = await v1.conversations(conversation.sid).messages.list({ pageSize: 3 });
  assert.deepEqual(asc.map((m) => m.body), messages.map((m) => m.body));
  const desc = await v1.conversations(conversation.sid).messages.list({ order: 'desc', pageSize: 2 });
  assert.deepEqual(desc.map((m) => m.index), [6, 5, 4, 3, 2, 1, 0]);

  const first = await v1.conversations(conversation.sid).messages.page({ pageSize: 3 });
  assert.deepEqual(first.instances.map((m) => m.index), [0, 1, 2]);
  // A message added now lands after the pages already handed out.
  messages.push(await v1.conversations(conversation.sid).messages.create({ author: 'bob', body: 'late' }));
  const second = await first.nextPage();
  assert.deepEqual(second.instances.map((m) => m.index), [3, 4, 5]);
  const third = await second.nextPage();
  assert.deepEqual(third.instances.map((m) => m.index), [6, 7]);
  assert.equal(await third.nextPage(), undefined);
  const back = await third.previousPage();
  assert.deepEqual(back.instances.map((m) => m.index), [3, 4, 5]);
});

test("lists and fetches a message's delivery receipts, from the SMS connector", async () => {
  const message = v1.conversations(conversation.sid).messages(messages[0].sid);
  let receipts = [];
  for (let i = 0; i < 200 && receipts.length === 0; i++) {
    receipts = await message.deliveryReceipts.list();
    if (receipts.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(receipts.length, 1, 'one receipt: the SMS participant (chat participants get none)');
  const [receipt] = receipts;
  assert.match(receipt.sid, /^DY[0-9a-f]{32}$/);
  assert.equal(receipt.participantSid, sms.sid);
  assert.equal(receipt.messageSid, messages[0].sid);
  assert.ok(['sent', 'delivered'].includes(receipt.status), receipt.status);
  assert.equal((await message.deliveryReceipts(receipt.sid).fetch()).participantSid, sms.sid);
  const delivery = (await message.fetch()).delivery;
  assert.equal(delivery.total, 1);
});

test('updates, fetches and removes a message', async () => {
  const m = v1.conversations(conversation.sid).messages(messages[1].sid);
  assert.equal((await m.update({ body: 'edited' })).body, 'edited');
  assert.equal((await m.fetch()).body, 'edited');
  assert.equal(await m.remove(), true);
  await rejects(m.fetch(), 404, 20404);
});

test('updates a participant and removes one', async () => {
  const updated = await v1.conversations(conversation.sid).participants(alice.sid)
    .update({ lastReadMessageIndex: 4, attributes: JSON.stringify({ seat: 1 }) });
  assert.equal(updated.lastReadMessageIndex, 4);
  assert.equal(JSON.parse(updated.attributes).seat, 1);
  assert.equal(await v1.conversations(conversation.sid).participants('bob').remove(), true);
  assert.equal((await v1.conversations(conversation.sid).participants.list()).length, 2);
});

test("lists a user's conversations with its unread count", async () => {
  await v1.users.create({ identity: 'alice' });
  const mine = (await v1.users('alice').userConversations.list()).find((c) => c.conversationSid === conversation.sid);
  // Indexes 0 to 7 were given (one message since removed: indexes are not reused); alice read up to 4.
  assert.equal(mine.lastReadMessageIndex, 4);
  assert.equal(mine.unreadMessagesCount, 3);
  assert.equal(mine.participantSid, alice.sid);
  const one = await v1.users('alice').userConversations(conversation.sid).fetch();
  assert.equal(one.unreadMessagesCount, 3);
  assert.match(one.userSid, /^US[0-9a-f]{32}$/);
});

test('creates, fetches, updates, lists and removes users', async () => {
  const user = await v1.users.create({ identity: `carol-${run}`, friendlyName: 'Carol' });
  assert.match(user.sid, /^US[0-9a-f]{32}$/);
  assert.equal((await v1.users(user.sid).fetch()).identity, `carol-${run}`);
  assert.equal((await v1.users(`carol-${run}`).update({ friendlyName: 'Carol C.' })).friendlyName, 'Carol C.');
  assert.ok((await v1.users.list()).some((u) => u.sid === user.sid));
  assert.equal(await v1.users(user.sid).remove(), true);
  await rejects(v1.users(user.sid).fetch(), 404, 20404);
});

test('creates, updates, lists and removes roles; the default roles are listed', async () => {
  const role = await v1.roles.create({ friendlyName: `moderator-${run}`, type: 'conversation',
    permission: ['sendMessage', 'removeMember'] });
  assert.match(role.sid, /^RL[0-9a-f]{32}$/);
  assert.deepEqual(role.permissions, ['sendMessage', 'removeMember']);
  const updated = await v1.roles(role.sid).update({ permission: ['sendMessage', 'editAnyMessage'] });
  assert.deepEqual(updated.permissions, ['sendMessage', 'editAnyMessage']);
  const names = (await v1.roles.list()).map((r) => r.friendlyName);
  for (const name of ['channel user', 'channel admin', 'service user', 'service admin', `moderator-${run}`]) {
    assert.ok(names.includes(name), `${name} in ${names}`);
  }
  assert.equal(await v1.roles(role.sid).remove(), true);
  await rejects(v1.roles(role.sid).fetch(), 404, 20404);
});

test("lists an identity's and an address's conversations", async () => {
  const byIdentity = await v1.participantConversations.list({ identity: 'alice' });
  const mine = byIdentity.find((c) => c.conversationSid === conversation.sid);
  assert.equal(mine.participantSid, alice.sid);
  assert.equal(mine.conversationUniqueName, `support-${run}`);
  assert.equal(mine.conversationState, 'active');
  const byAddress = await v1.participantConversations.list({ address: '+15551230001' });
  assert.ok(byAddress.some((c) => c.conversationSid === conversation.sid && c.participantSid === sms.sid));
});

test('serves the same under /v1/Services/{ChatServiceSid}, for the services of the account only', async () => {
  const service = v1.services(SECOND_SERVICE);
  const c = await service.conversations.create({ friendlyName: 'in the second service' });
  assert.equal(c.chatServiceSid, SECOND_SERVICE);
  const p = await service.conversations(c.sid).participants.create({ identity: 'dave' });
  assert.equal(p.chatServiceSid, SECOND_SERVICE);
  assert.ok((await service.conversations.list()).some((x) => x.sid === c.sid));
  await rejects(v1.conversations(c.sid).fetch(), 404, 20404); // not in the default service
  await rejects(v1.services('IS' + '0'.repeat(32)).conversations.list(), 404, 20404);
});

test('a retried POST with the same Idempotency-Key is the same conversation', async () => {
  const post = () => client.request({ method: 'post', uri: `${TWILIO}/v1/Conversations`,
    data: { FriendlyName: 'once' }, headers: { 'Idempotency-Key': `once-${run}` } });
  const a = await post();
  const b = await post();
  assert.equal(a.statusCode, 201);
  assert.equal(b.statusCode, 201);
  assert.equal(JSON.parse(b.body).sid, JSON.parse(a.body).sid);
});

test('a friendly name of 257 characters is refused with 50003', async () => {
  await rejects(v1.conversations.create({ friendlyName: 'x'.repeat(257) }), 400, 50003);
  assert.equal((await v1.conversations.create({ friendlyName: 'x'.repeat(256) })).friendlyName.length, 256);
});

test('the participant past the configured limit is refused with 50417', async () => {
  const c = await v1.conversations.create({ friendlyName: 'full' });
  for (let i = 0; i < PARTICIPANT_LIMIT; i++) {
    await v1.conversations(c.sid).participants.create({ identity: `member-${i}` });
  }
  await rejects(v1.conversations(c.sid).participants.create({ identity: 'one-too-many' }), 400, 50417);
});

test('writes past the actions-per-second limit are refused with 429 and 50063', async () => {
  const c = await v1.conversations.create({ friendlyName: 'busy' });
  await v1.conversations(c.sid).participants.create({ identity: 'eve' });
  const results = await Promise.allSettled(Array.from({ length: 70 },
    (_, i) => v1.conversations(c.sid).messages.create({ author: 'eve', body: `burst ${i}` })));
  const refused = results.filter((r) => r.status === 'rejected');
  assert.ok(refused.length > 0, 'some writes refused');
  for (const r of refused) {
    assert.equal(r.reason.constructor.name, 'RestException', String(r.reason));
    assert.equal(r.reason.status, 429);
    assert.equal(r.reason.code, 50063);
  }
  assert.ok(results.some((r) => r.status === 'fulfilled'), 'some writes accepted');
});

test('deletes a conversation', async () => {
  assert.equal(await v1.conversations(conversation.sid).remove(), true);
  await rejects(v1.conversations(conversation.sid).fetch(), 404, 20404);
});

test('wrong credentials are refused with 20003', async () => {
  const stranger = twilio(ACCOUNT, 'wrong', { httpClient: new ConvoHttpClient(BASE) });
  await rejects(stranger.conversations.v1.conversations.list(), 401, 20003);
});
