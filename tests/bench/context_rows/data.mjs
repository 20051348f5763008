// Deterministic task attributes for the contextRows benchmark (issue 5, P2): what Studio's "Send to Flex"
// hands over — routing attributes plus a nested `context` object the bot filled in.
//   small(): ~4 KB  (a typical Studio context: customer, intent, address, last order, a short transcript)
//   large(): ~400 KB (a long-running bot: hundreds of context keys, nested records, a long transcript)
// A seeded PRNG keeps every run identical.

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['conta', 'fatura', 'pagamento', 'pedido', 'entrega', 'cartão', 'limite', 'boleto', 'atraso',
  'reembolso', 'plano', 'upgrade', 'suporte', 'senha', 'cadastro', 'endereço', 'troca', 'garantia', 'São Paulo',
  'invoice', 'order', 'delivery', 'refund', 'card', 'agent', 'please', 'thanks', 'today', 'tomorrow', 'status'];

function sentence(rand, words) {
  const out = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]);
  return out.join(' ');
}

function order(rand, n) {
  const items = [];
  for (let i = 0; i < 3; i++) {
    items.push({ sku: `SKU-${1000 + Math.floor(rand() * 9000)}`, qty: 1 + Math.floor(rand() * 3), price: Math.round(rand() * 50000) / 100 });
  }
  return { id: `ORD-${200000 + n}`, status: rand() < 0.5 ? 'shipped' : 'processing', total: Math.round(rand() * 100000) / 100, items, placedAt: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T1${n % 10}:2${n % 10}:00.000Z` };
}

function routing(rand) {
  return {
    from: '+5511999990000',
    channelType: 'whatsapp',
    name: 'whatsapp:+5511999990000',
    userId: 'u_8f1c2e77-5a4b-4c1d-9e0f-2b3a4c5d6e7f',
    conversations: { conversation_id: 'WT0123456789abcdef0123456789abcdef', virtual: 'Yes' },
    flexChannelInviteSid: 'KGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    priority: Math.floor(rand() * 10),
  };
}

/** ~4 KB attributes object (plain data, as JSON.parse would give it). */
export function small() {
  const rand = prng(4);
  const context = {
    customer_name: 'Ana Souza',
    intent: 'billing_dispute',
    language: 'pt-BR',
    account_id: 'AC-10023',
    verified: true,
    nps: 9,
    score: 0.87,
    attempts: 2,
    vip: false,
    last_contact: null,
    address: { street: 'Rua Augusta, 1500', city: 'São Paulo', state: 'SP', zip: '01304-001', geo: { lat: -23.5558, lng: -46.6623 } },
    last_order: order(rand, 1),
    open_tickets: [4411, 4415],
    bot_summary: sentence(rand, 40),
  };
  const transcript = [];
  const attributes = { ...routing(rand), context };
  while (JSON.stringify(attributes).length < 3900) {
    transcript.push({ from: transcript.length % 2 ? 'customer' : 'bot', text: sentence(rand, 8), at: `2026-11-21T17:${String(transcript.length % 60).padStart(2, '0')}:00Z` });
    context.transcript = transcript;
  }
  return attributes;
}

/** ~400 KB attributes object. */
export function large() {
  const rand = prng(400);
  const context = {};
  const attributes = { ...routing(rand), context };
  context.customer_name = 'Ana Souza';
  context.intent = 'billing_dispute';
  const transcript = [];
  for (let i = 0; i < 600; i++) {
    transcript.push({ from: i % 2 ? 'customer' : 'bot', text: sentence(rand, 10), at: `2026-11-21T17:${String(i % 60).padStart(2, '0')}:00Z` });
  }
  context.transcript = transcript;
  let n = 0;
  let size = JSON.stringify(attributes).length;
  while (size < 400 * 1024) {
    const kind = n % 5;
    let value;
    if (kind === 0) value = order(rand, n);
    else if (kind === 1) value = sentence(rand, 12);
    else if (kind === 2) value = Math.round(rand() * 1e6) / 100;
    else if (kind === 3) value = { flag: rand() < 0.5, note: sentence(rand, 4), tags: ['a', 'b', String(n)] };
    else value = [n, n + 1, sentence(rand, 2)];
    context[`field_${n}`] = value;
    size += `"field_${n}":`.length + JSON.stringify(value).length + 1;
    n++;
  }
  return attributes;
}
