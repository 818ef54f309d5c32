#!/usr/bin/env node
'use strict';
// Parses every .tf file of reference-terraform/ (or the directory given as the
// first argument) with HashiCorp's HCL parser and prints one line per file,
// then a summary of the blocks found. Exits 1 when a file does not parse or
// when no .tf file is found.

const path = require('path');
const { findTfFiles, parseFile, rootFromArgv, bareExpression } = require('./hcl-walk');

function countBlocks(json, totals) {
  let resources = 0;
  for (const [type, byName] of Object.entries(json.resource || {})) {
    for (const name of Object.keys(byName)) {
      totals.resourceTypes.set(type, (totals.resourceTypes.get(type) || 0) + byName[name].length);
      resources += byName[name].length;
    }
  }
  let data = 0;
  for (const byName of Object.values(json.data || {})) {
    for (const bodies of Object.values(byName)) data += bodies.length;
  }
  let modules = 0;
  for (const bodies of Object.values(json.module || {})) modules += bodies.length;
  let providers = 0;
  for (const [name, bodies] of Object.entries(json.provider || {})) {
    for (const body of bodies) {
      providers += 1;
      const alias = body.alias === undefined ? null : bareExpression(body.alias);
      totals.providerBlocks.push(alias ? `${name}.${alias}` : `${name} (default)`);
    }
  }
  totals.resources += resources;
  totals.data += data;
  totals.modules += modules;
  totals.providers += providers;
  return { resources, data, modules, providers };
}

async function main() {
  const root = rootFromArgv(process.argv);
  let files;
  try {
    files = findTfFiles(root);
  } catch (err) {
    console.error(`parse-all: error: cannot read ${root}: ${err.message}`);
    process.exit(1);
  }
  if (files.length === 0) {
    console.error(`parse-all: error: no .tf files under ${root}`);
    process.exit(1);
  }

  const totals = {
    resources: 0, data: 0, modules: 0, providers: 0,
    resourceTypes: new Map(), providerBlocks: [],
  };
  let passed = 0;
  let failed = 0;
  for (const rel of files) {
    try {
      const json = await parseFile(root, rel);
      const c = countBlocks(json, totals);
      passed += 1;
      console.log(`ok    ${rel}  (resources ${c.resources}, data ${c.data}, modules ${c.modules}, providers ${c.providers})`);
    } catch (err) {
      failed += 1;
      console.log(`FAIL  ${rel}  ${String(err.message || err).replace(/\s+/g, ' ')}`);
    }
  }

  console.log('');
  const shown = path.relative(process.cwd(), root);
  console.log(`root: ${shown === '' ? '.' : shown.startsWith('..') ? root : shown}`);
  console.log(`files: ${files.length}, resource blocks: ${totals.resources}, data blocks: ${totals.data}, module blocks: ${totals.modules}, provider blocks: ${totals.providers}`);
  console.log('resource blocks by type:');
  for (const type of [...totals.resourceTypes.keys()].sort()) {
    console.log(`  ${String(totals.resourceTypes.get(type)).padStart(3)}  ${type}`);
  }
  console.log(`provider blocks: ${totals.providerBlocks.sort().join(', ') || 'none'}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(`parse-all: error: ${err.stack || err}`);
  process.exit(1);
});
