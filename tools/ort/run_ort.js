#!/usr/bin/env node
// run_ort.js: runs an ONNX model with ONNX Runtime (onnxruntime-node, CPU) and
// writes its outputs as TensorProto files, the reference every tmlc result is
// checked against.
//
//   node run_ort.js MODEL.onnx --data DIR
//       for each DIR/test_data_set_*/ (or DIR itself if it holds input_*.pb):
//       read input_K.pb, run, write output_K.pb beside them
//   node run_ort.js MODEL.onnx -o OUTDIR IN_0.pb [IN_1.pb ...]
//       run on the given inputs, write OUTDIR/output_K.pb
//
// Input K feeds the model's K-th graph input (initializers excluded), or the
// input its TensorProto names. Output K is the model's K-th graph output.
// TensorProto is encoded and decoded here by hand: the fields used are
// dims (1), data_type (2), typed data (4, 5, 7, 10, 11), name (8), raw_data (9).
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

// ONNX TensorProto.DataType -> [ort type name, typed array, bytes per element]
const DTYPES = {
  1: ['float32', Float32Array, 4],
  2: ['uint8', Uint8Array, 1],
  3: ['int8', Int8Array, 1],
  4: ['uint16', Uint16Array, 2],
  5: ['int16', Int16Array, 2],
  6: ['int32', Int32Array, 4],
  7: ['int64', BigInt64Array, 8],
  9: ['bool', Uint8Array, 1],
  10: ['float16', Uint16Array, 2],
  11: ['float64', Float64Array, 8],
  12: ['uint32', Uint32Array, 4],
  13: ['uint64', BigUint64Array, 8],
};
const ORT_TO_ONNX = Object.fromEntries(Object.entries(DTYPES).map(([k, v]) => [v[0], Number(k)]));

function fail(msg) {
  process.stderr.write(`run_ort: error: ${msg}\n`);
  process.exit(1);
}

// ---- protobuf wire format -------------------------------------------------
function readVarint(buf, pos) {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [v, pos];
    shift += 7n;
  }
}

function writeVarint(out, v) {
  v = BigInt.asUintN(64, BigInt(v));
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
}

function decodeTensor(buf) {
  const t = { dims: [], dataType: 0, name: '', raw: null, vals: [] };
  let pos = 0;
  while (pos < buf.length) {
    let key;
    [key, pos] = readVarint(buf, pos);
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      let v;
      [v, pos] = readVarint(buf, pos);
      if (field === 1) t.dims.push(Number(BigInt.asIntN(64, v)));
      else if (field === 2) t.dataType = Number(v);
      else if (field === 5 || field === 7 || field === 11) t.vals.push(v);
    } else if (wire === 2) {
      let len;
      [len, pos] = readVarint(buf, pos);
      const n = Number(len);
      const body = buf.subarray(pos, pos + n);
      pos += n;
      if (field === 8) t.name = body.toString('utf8');
      else if (field === 9) t.raw = Buffer.from(body);
      else if (field === 1 || field === 5 || field === 7 || field === 11) {
        for (let p = 0; p < body.length;) {
          let v;
          [v, p] = readVarint(body, p);
          if (field === 1) t.dims.push(Number(BigInt.asIntN(64, v)));
          else t.vals.push(v);
        }
      } else if (field === 4) {
        for (let p = 0; p + 4 <= body.length; p += 4) t.vals.push(body.readFloatLE(p));
      } else if (field === 10) {
        for (let p = 0; p + 8 <= body.length; p += 8) t.vals.push(body.readDoubleLE(p));
      }
    } else if (wire === 5) {
      if (field === 4) t.vals.push(buf.readFloatLE(pos));
      pos += 4;
    } else if (wire === 1) {
      if (field === 10) t.vals.push(buf.readDoubleLE(pos));
      pos += 8;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  const info = DTYPES[t.dataType];
  if (!info) throw new Error(`unsupported data_type ${t.dataType}`);
  const [ortType, Arr, size] = info;
  const count = t.dims.reduce((a, b) => a * b, 1);
  let data;
  if (t.raw) {
    if (t.raw.length !== count * size) throw new Error(`raw_data has ${t.raw.length} bytes, expected ${count * size}`);
    const copy = new Uint8Array(t.raw);  // aligned copy
    data = new Arr(copy.buffer, 0, count);
  } else {
    if (t.vals.length !== count) throw new Error(`${t.vals.length} values, expected ${count}`);
    data = new Arr(count);
    for (let i = 0; i < count; ++i) {
      const v = t.vals[i];
      if (Arr === BigInt64Array) data[i] = BigInt.asIntN(64, v);
      else if (Arr === BigUint64Array) data[i] = BigInt.asUintN(64, v);
      else if (typeof v === 'bigint') data[i] = Number(BigInt.asIntN(32, v));
      else data[i] = v;
    }
  }
  const tensor = new ort.Tensor(ortType, ortType === 'bool' ? Uint8Array.from(data) : data, t.dims);
  return { name: t.name, tensor };
}

function encodeTensor(name, tensor) {
  const dataType = ORT_TO_ONNX[tensor.type];
  if (!dataType) throw new Error(`output '${name}' has unsupported type ${tensor.type}`);
  const out = [];
  for (const d of tensor.dims) {
    out.push(0x08);
    writeVarint(out, d);
  }
  out.push(0x10);
  writeVarint(out, dataType);
  const nameBytes = Buffer.from(name, 'utf8');
  out.push(0x42);
  writeVarint(out, nameBytes.length);
  const head = Buffer.from(out);
  const d = tensor.data;
  const raw = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  const rawHead = [0x4a];
  writeVarint(rawHead, raw.length);
  return Buffer.concat([head, nameBytes, Buffer.from(rawHead), raw]);
}

// ---- running --------------------------------------------------------------
async function runOne(session, inputFiles, outDir) {
  const feeds = {};
  inputFiles.forEach((file, k) => {
    let decoded;
    try {
      decoded = decodeTensor(fs.readFileSync(file));
    } catch (e) {
      fail(`${file}: ${e.message}`);
    }
    const name = session.inputNames.includes(decoded.name) ? decoded.name : session.inputNames[k];
    if (name === undefined) fail(`${file}: the model has only ${session.inputNames.length} inputs`);
    feeds[name] = decoded.tensor;
  });
  const results = await session.run(feeds);
  fs.mkdirSync(outDir, { recursive: true });
  session.outputNames.forEach((name, k) => {
    fs.writeFileSync(path.join(outDir, `output_${k}.pb`), encodeTensor(name, results[name]));
  });
  return session.outputNames.length;
}

function inputsIn(dir) {
  return fs.readdirSync(dir)
    .map((f) => /^input_(\d+)\.pb$/.exec(f))
    .filter(Boolean)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => path.join(dir, m[0]));
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('-h') || args.includes('--help')) {
    process.stdout.write('usage: node run_ort.js MODEL.onnx --data DIR\n' +
                         '       node run_ort.js MODEL.onnx -o OUTDIR IN_0.pb [IN_1.pb ...]\n');
    process.exit(args.length === 0 ? 2 : 0);
  }
  const model = args[0];
  let dataDir = null;
  let outDir = null;
  const inputs = [];
  for (let i = 1; i < args.length; ++i) {
    if (args[i] === '--data') dataDir = args[++i];
    else if (args[i] === '-o') outDir = args[++i];
    else inputs.push(args[i]);
  }
  if (!fs.existsSync(model)) fail(`${model}: no such file`);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'disabled',  // the reference: run the graph as written
    intraOpNumThreads: 1,
  });
  if (dataDir) {
    let sets = fs.readdirSync(dataDir).filter((d) => /^test_data_set_\d+$/.test(d)).sort()
      .map((d) => path.join(dataDir, d));
    if (sets.length === 0) sets = [dataDir];
    for (const s of sets) {
      const files = inputsIn(s);
      if (files.length === 0) fail(`${s}: no input_K.pb files`);
      await runOne(session, files, s);
    }
    process.stdout.write(`run_ort: ${model}: wrote outputs for ${sets.length} data set(s)\n`);
  } else {
    if (!outDir || inputs.length === 0) fail('need --data DIR, or -o OUTDIR and input files');
    const n = await runOne(session, inputs, outDir);
    process.stdout.write(`run_ort: ${model}: wrote ${n} output(s) to ${outDir}\n`);
  }
}

main().catch((e) => fail(e.message));
