#!/usr/bin/env node
'use strict';
// Differential test of tfwarden's HCL parser against HashiCorp's (hcl2json, WebAssembly):
// for every .tf file under the directories given, both must accept it or both reject it;
// when both accept, the blocks, labels, attribute names and literal values must be equal
// (any other expression only has to be an expression on both sides); when both reject, the
// first error must be on the same line.
// Then 3,000 mutants of tests/hcl/cases/valid (one or two characters deleted, inserted or
// replaced, from a fixed seed): both parsers must accept or reject each alike, and read those
// they accept alike.
// Usage: differential.js HCL_DUMP DIR...

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const hcl = require('@cdktf/hcl2json');
const { findTfFiles, parseFile } = require('./hcl-walk');

// hcl2json writes an expression as "${...}" and a template as its source; a literal string
// keeps `$${` and `%%{` escaped.
function normalise(v) {
  if (typeof v === 'string') {
    if (/(^|[^$%])[$%]\{/.test(v)) return '$expr';
    return v.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  }
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) out[normalise(k)] = normalise(v[k]);
    return out;
  }
  return v;
}

// Where the two may rightly differ, by file (relative to the repository), and why.
const EXCEPTIONS = {
  'tests/hcl/cases/invalid/unclosed-heredoc.tf':
    'tfwarden points at the heredoc that is not closed; HCL at the end of the file',
};

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

function firstDifference(a, b, at) {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  return `${at}: hcl2json ${JSON.stringify(b)}, tfwarden ${JSON.stringify(a)}`;
}

async function mutants(dump) {
  const casesDir = path.join(__dirname, 'cases', 'valid');
  const sources = fs.readdirSync(casesDir).sort().map((f) => fs.readFileSync(path.join(casesDir, f), 'utf8'));
  let seed = 12345;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = '{}[]()"$%~=,.:?\n#*<-EOTa1 \r';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfwarden-hcl-'));
  try {
    const files = [];
    for (let i = 0; i < 3000; i++) {
      let s = sources[random(sources.length)];
      for (let edits = 1 + random(2); edits > 0; --edits) {
        const k = random(s.length);
        const c = alphabet[random(alphabet.length)];
        const op = random(3);
        s = op === 0 ? s.slice(0, k) + s.slice(k + 1) : op === 1 ? s.slice(0, k) + c + s.slice(k) : s.slice(0, k) + c + s.slice(k + 1);
      }
      const f = path.join(dir, `mutant-${i}.tf`);
      fs.writeFileSync(f, s);
      files.push(f);
    }
    const mine = JSON.parse(execFileSync(dump, files, { maxBuffer: 1 << 28 }).toString());
    let failures = 0, rejected = 0;
    for (const f of files) {
      let theirError = null, theirs = null;
      try {
        theirs = await hcl.parse(path.basename(f), fs.readFileSync(f, 'utf8'));
      } catch (err) {
        theirError = String(err);
      }
      const myError = mine[f].errors ? mine[f].errors[0].message : null;
      if (myError) ++rejected;
      const difference = !theirError && !myError ? firstDifference(sortKeys(mine[f]), normalise(theirs), '') : null;
      if (difference) {
        ++failures;
        if (failures <= 10) console.log(`FAIL ${path.basename(f)}: read differently: ${difference}`);
      } else if (!!theirError !== !!myError) {
        ++failures;
        if (failures <= 10) {
          console.log(`FAIL ${path.basename(f)}: ${JSON.stringify(fs.readFileSync(f, 'utf8'))}`);
          console.log(`  hcl2json: ${theirError || 'accepts it'}; tfwarden: ${myError || 'accepts it'}`);
        }
      }
    }
    console.log(`differential: ${files.length} mutants: ${rejected} rejected, ${failures} judged differently`);
    return failures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const [dump, ...dirs] = process.argv.slice(2);
  const files = [];
  for (const dir of dirs) for (const f of findTfFiles(dir)) files.push(path.join(dir, f));
  if (files.length === 0) {
    console.error('differential: error: no .tf files');
    process.exit(1);
  }
  const mine = JSON.parse(execFileSync(dump, files, { maxBuffer: 1 << 28 }).toString());
  let failures = 0, accepted = 0, rejected = 0;
  for (const file of files) {
    const m = mine[file];
    let theirs, theirError = null;
    try {
      theirs = await parseFile(path.dirname(file), path.basename(file));
    } catch (err) {
      theirError = String(err);
    }
    const myError = m && m.errors ? m.errors[0] : null;
    if (EXCEPTIONS[file] && theirError && myError) {
      console.log(`ok ${file}: both reject it; lines differ by design: ${EXCEPTIONS[file]}`);
      ++rejected;
    } else if (theirError && !myError) {
      console.log(`FAIL ${file}: hcl2json rejects it (${theirError}), tfwarden accepts it`);
      ++failures;
    } else if (!theirError && myError) {
      console.log(`FAIL ${file}: tfwarden rejects it (${myError.message}), hcl2json accepts it`);
      ++failures;
    } else if (theirError) {
      const line = /:(\d+),\d+/.exec(theirError);
      if (!line || Number(line[1]) !== myError.line) {
        console.log(`FAIL ${file}: first error on different lines: hcl2json ${theirError}; tfwarden ${myError.message}`);
        ++failures;
      } else {
        ++rejected;
      }
    } else {
      const d = firstDifference(sortKeys(m), normalise(theirs), file);
      if (d) {
        console.log(`FAIL ${d}`);
        ++failures;
      } else {
        ++accepted;
      }
    }
  }
  console.log(`differential: ${files.length} files: ${accepted} read alike, ${rejected} rejected alike, ${failures} differ`);
  const mutantFailures = await mutants(dump);
  process.exit(failures || mutantFailures ? 1 : 0);
}

main();
