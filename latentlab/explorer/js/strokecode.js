// A tile's sketch table steps from their entropy code (latentlab.explorer.strokecode): static rANS, a stream a
// sketch, each step's frequencies those of the context the signs of the step before it make. The decoder reads
// the sketches one after another, as the encoder wrote their words.
const PROB_BITS = 14, MASK = (1 << PROB_BITS) - 1, LOW = 1 << 16, CONTEXTS = 9;

// slot -> symbol of each context, and each symbol's start, from the frequencies (CONTEXTS rows of k + 1)
function tables(freq) {
  const k = freq.length / CONTEXTS, slots = [], starts = [];
  for (let c = 0; c < CONTEXTS; c++) {
    const slot = new Uint16Array(1 << PROB_BITS), start = new Uint32Array(k);
    let at = 0;
    for (let s = 0; s < k; s++) {
      start[s] = at;
      slot.fill(s, at, at + freq[c * k + s]);
      at += freq[c * k + s];
    }
    slots.push(slot);
    starts.push(start);
  }
  return {k, slots, starts};
}

// table `name`'s steps of the tile's arrays A (Int8Array of dx, dy pairs): A[name + "_steps"] as stored, or
// decoded from A[name + "_symbols" | "_freq" | "_state" | "_words" | "_escaped"], A[name + "_len"] steps a sketch
export function tableSteps(A, name) {
  if (A[name + "_steps"]) return A[name + "_steps"];
  const freq = A[name + "_freq"], symbols = A[name + "_symbols"], escaped = A[name + "_escaped"];
  const words = A[name + "_words"], state = A[name + "_state"], len = A[name + "_len"];
  const {k, slots, starts} = tables(freq), escape = k - 1;
  const out = new Int8Array(2 * len.reduce((a, b) => a + b, 0));
  let o = 0, w = 0, e = 0;
  for (let i = 0; i < len.length; i++) {
    let x = state[i], dx = 0, dy = 0;
    for (let j = 0; j < len[i]; j++) {
      const c = 3 * (Math.sign(dx) + 1) + Math.sign(dy) + 1, slot = x & MASK, s = slots[c][slot];
      x = freq[c * k + s] * Math.floor(x / (1 << PROB_BITS)) + slot - starts[c][s];
      if (x < LOW) x = x * 65536 + words[w++];
      if (s === escape) { dx = escaped[2 * e]; dy = escaped[2 * e + 1]; e++; } else {
        dx = symbols[2 * s]; dy = symbols[2 * s + 1];
      }
      out[o++] = dx; out[o++] = dy;
    }
  }
  return out;
}
