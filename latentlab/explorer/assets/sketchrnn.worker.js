// latentlab's explorer: sketchrnn.worker.js, bundled by esbuild from latentlab/explorer/js/sketchrnn.js (make js); edit the modules, not this file.
(() => {
  // sketchrnn.js
  function loadTensors(buffer, header) {
    const W = {};
    for (const [name, [dtype, offset, shape]] of Object.entries(header)) {
      if (name.endsWith(":scale")) continue;
      const rows = shape[0], cols = shape.length > 1 ? shape[1] : 1, count = rows * cols;
      let data;
      if (dtype === "float32") {
        data = new Float32Array(buffer.slice(offset, offset + 4 * count));
      } else if (dtype === "int8") {
        const q = new Int8Array(buffer, offset, count), scale = new Float32Array(buffer, header[name + ":scale"][1], rows);
        data = new Float32Array(count);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = q[r * cols + c] * scale[r];
      } else {
        throw new Error(`tensor ${name}: unsupported dtype ${dtype}`);
      }
      W[name] = { data, rows, cols };
    }
    return W;
  }
  function matvec(M, x, out, c0 = 0, add = false) {
    const d = M.data, cols = M.cols, len = x.length, len4 = len - len % 4;
    for (let r = 0; r < M.rows; r++) {
      const b = r * cols + c0;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, c = 0;
      for (; c < len4; c += 4) {
        s0 += d[b + c] * x[c];
        s1 += d[b + c + 1] * x[c + 1];
        s2 += d[b + c + 2] * x[c + 2];
        s3 += d[b + c + 3] * x[c + 3];
      }
      for (; c < len; c++) s0 += d[b + c] * x[c];
      out[r] = (add ? out[r] : 0) + (s0 + s1 + (s2 + s3));
    }
  }
  var sigmoid = (x) => 1 / (1 + Math.exp(-x));
  function layerNorm(x, gamma, beta, groups, eps) {
    const size = x.length / groups;
    for (let g = 0; g < groups; g++) {
      let mean = 0, v = 0;
      for (let k = 0; k < size; k++) mean += x[g * size + k];
      mean /= size;
      for (let k = 0; k < size; k++) v += (x[g * size + k] - mean) ** 2;
      const inv = 1 / Math.sqrt(v / size + eps);
      for (let k = 0; k < size; k++) {
        const i = g * size + k;
        x[i] = gamma[i] * (x[i] - mean) * inv + beta[i];
      }
    }
  }
  function makeCell(meta, W, kind, prefix, n) {
    const p = `${prefix}/${meta.cell_scopes[kind]}`, get = (name) => W[`${p}/${name}`];
    const Wxh = get("W_xh"), Whh = get("W_hh"), bias = get("bias");
    const ln = kind === "layer_norm" ? ["ln_all/ln_gamma", "ln_all/ln_beta", "ln_c/ln_gamma", "ln_c/ln_beta"].map((name) => get(name).data) : null;
    const gates = new Float64Array(4 * n), cn = new Float64Array(n), squashed = new Float64Array(n);
    const fb = meta.forget_bias;
    const hAt = kind === "lstm" ? n : 0, cAt = kind === "lstm" ? 0 : n;
    return {
      Wxh,
      n,
      stateSize: 2 * n,
      output: (state) => state.subarray(hAt, hAt + n),
      // xw: the input's contribution (4n); state updated in place
      step(xw, state) {
        matvec(Whh, state.subarray(hAt, hAt + n), gates);
        for (let k = 0; k < 4 * n; k++) gates[k] += xw[k] + (bias ? bias.data[k] : 0);
        if (ln) layerNorm(gates, ln[0], ln[1], 4, meta.ln_epsilon);
        for (let k = 0; k < n; k++) {
          cn[k] = state[cAt + k] * sigmoid(gates[2 * n + k] + fb) + sigmoid(gates[k]) * Math.tanh(gates[n + k]);
        }
        squashed.set(cn);
        if (ln) layerNorm(squashed, ln[2], ln[3], 1, meta.ln_epsilon);
        for (let k = 0; k < n; k++) {
          state[cAt + k] = cn[k];
          state[hAt + k] = Math.tanh(squashed[k]) * sigmoid(gates[3 * n + k]);
        }
      }
    };
  }
  function makeRandom(seed) {
    let a = seed >>> 0;
    const uniform = () => {
      a = a + 1831565813 >>> 0;
      let t = a;
      t = Math.imul(t ^ t >>> 15, t | 1);
      t ^= t + Math.imul(t ^ t >>> 7, t | 61);
      return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
    const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    return { uniform, normal };
  }
  function sampleIndex(logits, tau, greedy, u) {
    let best = 0;
    for (let k = 1; k < logits.length; k++) if (logits[k] > logits[best]) best = k;
    if (greedy) return best;
    let total = 0;
    const p = logits.map((l) => Math.exp((l - logits[best]) / tau));
    for (const v of p) total += v;
    let cdf = 0, count = 0;
    for (const v of p) {
      cdf += v / total;
      if (cdf < u) count++;
    }
    return Math.min(count, logits.length - 1);
  }
  function makeEncoder(meta, vec, fw, bw) {
    const zSize = meta.z_size, sf = meta.scale_factor;
    return function encode(points) {
      const n = points.length / 3;
      if (!(n >= 1)) throw new Error("cannot encode an empty sketch");
      if (n > meta.max_seq_len) throw new Error(`sketch of ${n} points exceeds the model's max_seq_len=${meta.max_seq_len}`);
      const x = new Float64Array(5), xw = new Float64Array(4 * fw.n);
      const run = (cell, order2) => {
        const state = new Float64Array(cell.stateSize);
        for (const t of order2) {
          const pen = points[3 * t + 2];
          x[0] = points[3 * t] / sf;
          x[1] = points[3 * t + 1] / sf;
          x[2] = 1 - pen;
          x[3] = pen;
          x[4] = 0;
          matvec(cell.Wxh, x, xw);
          cell.step(xw, state);
        }
        return cell.output(state);
      };
      const order = Array.from({ length: n }, (_, t) => t);
      const last = new Float64Array(2 * fw.n);
      last.set(run(fw, order), 0);
      last.set(run(bw, order.reverse()), fw.n);
      const mu = new Float64Array(zSize), presig = new Float64Array(zSize);
      matvec(vec("ENC_RNN_mu/super_linear_w"), last, mu);
      matvec(vec("ENC_RNN_sigma/super_linear_w"), last, presig);
      for (let k = 0; k < zSize; k++) {
        mu[k] += vec("ENC_RNN_mu/super_linear_b").data[k];
        presig[k] += vec("ENC_RNN_sigma/super_linear_b").data[k];
      }
      return { mu: Float32Array.from(mu), presig: Float32Array.from(presig) };
    };
  }
  function makeDecoder(meta, vec, dec) {
    const zSize = meta.z_size, M = meta.num_mixture, sf = meta.scale_factor;
    return function decode(z, { temperature = 0.6, softmaxTemperature = null, greedy = false, seed = 0, maxLen = null } = {}) {
      if (z.length !== zSize) throw new Error(`z has ${z.length} dimensions, the model expects ${zSize}`);
      const tau = Math.max(temperature, 1e-6);
      let tauS = softmaxTemperature === null || softmaxTemperature === void 0 ? temperature : softmaxTemperature === "js" ? 0.5 + 0.5 * temperature : +softmaxTemperature;
      tauS = Math.max(tauS, 1e-6);
      const n = dec.n, zx = Float64Array.from(z), zproj = new Float64Array(4 * n), xw = new Float64Array(4 * n);
      matvec(dec.Wxh, zx, zproj, 5);
      const state = new Float64Array(dec.stateSize);
      matvec(vec("linear/super_linear_w"), zx, state);
      for (let k = 0; k < state.length; k++) state[k] = Math.tanh(state[k] + vec("linear/super_linear_b").data[k]);
      const outW = vec("RNN/output_w"), outB = vec("RNN/output_b").data, out = new Float64Array(outW.rows);
      const rng = makeRandom(seed), prev = new Float64Array([0, 0, 1, 0, 0]), points = [];
      const limit = maxLen || meta.max_seq_len;
      for (let t = 0; t < limit; t++) {
        matvec(dec.Wxh, prev, xw);
        for (let k = 0; k < xw.length; k++) xw[k] += zproj[k];
        dec.step(xw, state);
        matvec(outW, dec.output(state), out);
        for (let k = 0; k < out.length; k++) out[k] += outB[k];
        const u0 = rng.uniform(), u1 = rng.uniform(), e0 = rng.normal(), e1 = rng.normal();
        const idx = sampleIndex(Array.from(out.subarray(3, 3 + M)), tauS, greedy, u0);
        const pen = sampleIndex(Array.from(out.subarray(0, 3)), tauS, greedy, u1);
        if (pen === 2) break;
        const at = (block) => out[3 + block * M + idx];
        const mu1 = at(1), mu2 = at(2), s1 = Math.exp(at(3)) * tau, s2 = Math.exp(at(4)) * tau, rho = Math.tanh(at(5));
        const noise = greedy ? 0 : 1;
        const x1 = mu1 + noise * s1 * e0, x2 = mu2 + noise * s2 * (rho * e0 + Math.sqrt(1 - rho * rho) * e1);
        prev.set([x1, x2, pen === 0 ? 1 : 0, pen === 1 ? 1 : 0, 0]);
        points.push(x1 * sf, x2 * sf, pen === 1 ? 1 : 0);
      }
      return Float32Array.from(points);
    };
  }
  function makeModel(meta, buffer, header) {
    const W = loadTensors(buffer, header), S = meta.scope;
    const vec = (name) => W[`${S}/${name}`];
    const fw = makeCell(meta, W, meta.enc_model, `${S}/ENC_RNN/fw`, meta.enc_rnn_size);
    const bw = makeCell(meta, W, meta.enc_model, `${S}/ENC_RNN/bw`, meta.enc_rnn_size);
    const dec = makeCell(meta, W, meta.dec_model, `${S}/RNN`, meta.dec_rnn_size);
    return { encode: makeEncoder(meta, vec, fw, bw), decode: makeDecoder(meta, vec, dec) };
  }
  if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
    let model = null;
    self.onmessage = (event) => {
      const m = event.data;
      try {
        if (m.type === "init") {
          model = makeModel(m.meta, m.buffer, m.header);
          self.postMessage({ id: m.id });
        } else if (m.type === "encode") {
          self.postMessage({ id: m.id, result: model.encode(m.points) });
        } else if (m.type === "decode") {
          self.postMessage({ id: m.id, result: model.decode(m.z, m.options) });
        }
      } catch (err) {
        self.postMessage({ id: m.id, error: String(err && err.message || err) });
      }
    };
  }
})();
