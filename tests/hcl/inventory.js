#!/usr/bin/env node
'use strict';
// Prints, as JSON on stdout, what each Terraform module directory of
// reference-terraform/ (or the directory given as the first argument)
// declares: its resource and data blocks (as configuration addresses
// TYPE.NAME / data.TYPE.NAME), which of them use count or for_each, its
// module calls (name -> source, and their providers maps) and its provider
// blocks (name and alias). The plan-fixture test compares the fixture's
// configuration section against this. Output is sorted and deterministic.

const fs = require('fs');
const path = require('path');
const { findTfFiles, parseFile, rootFromArgv, bareExpression } = require('./hcl-walk');

function sortedObject(entries) {
  const out = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

function emptyModule() {
  return {
    resources: [],
    repetition: new Map(),
    moduleCalls: new Map(),
    moduleProviders: new Map(),
    providers: [],
  };
}

function addFile(mod, json) {
  for (const [mode, prefix] of [['resource', ''], ['data', 'data.']]) {
    for (const [type, byName] of Object.entries(json[mode] || {})) {
      for (const [name, bodies] of Object.entries(byName)) {
        const address = `${prefix}${type}.${name}`;
        for (const body of bodies) {
          mod.resources.push(address);
          if (body.count !== undefined) mod.repetition.set(address, 'count');
          if (body.for_each !== undefined) mod.repetition.set(address, 'for_each');
        }
      }
    }
  }
  for (const [name, bodies] of Object.entries(json.module || {})) {
    for (const body of bodies) {
      mod.moduleCalls.set(name, body.source);
      if (body.count !== undefined) mod.repetition.set(`module.${name}`, 'count');
      if (body.for_each !== undefined) mod.repetition.set(`module.${name}`, 'for_each');
      const providers = body.providers || {};
      mod.moduleProviders.set(
        name,
        sortedObject(Object.entries(providers).map(([k, v]) => [k, bareExpression(v)])),
      );
    }
  }
  for (const [name, bodies] of Object.entries(json.provider || {})) {
    for (const body of bodies) {
      mod.providers.push({ name, alias: body.alias === undefined ? null : bareExpression(body.alias) });
    }
  }
}

async function main() {
  const root = rootFromArgv(process.argv);
  const files = findTfFiles(root);
  if (files.length === 0) {
    console.error(`inventory: error: no .tf files under ${root}`);
    process.exit(1);
  }

  const modules = new Map();
  for (const rel of files) {
    const dir = path.posix.dirname(rel);
    if (!modules.has(dir)) modules.set(dir, emptyModule());
    addFile(modules.get(dir), await parseFile(root, rel));
  }

  const out = {};
  for (const dir of [...modules.keys()].sort()) {
    const m = modules.get(dir);
    const duplicates = m.resources.filter((a, i) => m.resources.indexOf(a) !== i);
    if (duplicates.length > 0) {
      console.error(`inventory: error: ${dir} declares ${[...new Set(duplicates)].join(', ')} more than once`);
      process.exit(1);
    }
    out[dir] = {
      resources: m.resources.filter((a) => !a.startsWith('data.')).sort(),
      data: m.resources.filter((a) => a.startsWith('data.')).sort(),
      repetition: sortedObject(m.repetition),
      module_calls: sortedObject(m.moduleCalls),
      module_providers: sortedObject(m.moduleProviders),
      providers: m.providers.sort((a, b) =>
        a.name === b.name ? String(a.alias).localeCompare(String(b.alias)) : a.name.localeCompare(b.name)),
    };
  }
  process.stdout.write(`${JSON.stringify({ format_version: 1, modules: out }, null, 2)}\n`);
}

main().catch((err) => {
  console.error(`inventory: error: ${err.message || err}`);
  process.exit(1);
});
