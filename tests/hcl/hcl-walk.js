'use strict';
// Shared helpers of parse-all.js and inventory.js: find the .tf files of a
// tree and parse them with HashiCorp's HCL parser (compiled to WebAssembly).

const fs = require('fs');
const path = require('path');
const hcl = require('@cdktf/hcl2json');

const SKIPPED_DIRS = new Set(['.terraform', 'node_modules', '.git']);

function defaultRoot() {
  return path.resolve(__dirname, '..', '..', 'reference-terraform');
}

function rootFromArgv(argv) {
  return argv[2] ? path.resolve(argv[2]) : defaultRoot();
}

// All .tf files below dir, as paths relative to dir, sorted.
function findTfFiles(dir) {
  const found = [];
  (function walk(rel) {
    const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const child = rel ? path.join(rel, e.name) : e.name;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(child);
      } else if (e.isFile() && e.name.endsWith('.tf')) {
        found.push(child.split(path.sep).join('/'));
      }
    }
  })('');
  return found.sort();
}

// Resolves to the JSON form of the file; rejects with HCL's own diagnostic
// (file:line,column) on a syntax error.
function parseFile(root, relPath) {
  const text = fs.readFileSync(path.join(root, relPath), 'utf8');
  return hcl.parse(relPath, text);
}

// Strips the "${...}" wrapper hcl2json puts around expressions.
function bareExpression(value) {
  if (typeof value !== 'string') return value;
  const m = /^\$\{(.*)\}$/s.exec(value);
  return m ? m[1] : value;
}

module.exports = { findTfFiles, parseFile, rootFromArgv, bareExpression };
