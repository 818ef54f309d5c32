#!/usr/bin/env node
'use strict';
// Checks that the plan fixture and the HCL declare the same things: for every module call
// in the plan's `configuration` (starting at the platform root), the HCL directory its source
// names must declare exactly the same resources (TYPE.NAME), data sources (data.TYPE.NAME),
// count/for_each repetition, module calls with their sources, and provider blocks (name and
// alias); and every module directory of the HCL must be reached from the platform root.
// The HCL side is the output of inventory.js.
//
// Usage: node tests/hcl/fixture-inventory.js [reference-terraform] [plan.json] [root module dir]
// Exits 1 on any difference, listing each one.

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..', '..');
const hclRoot = path.resolve(process.argv[2] || path.join(repo, 'reference-terraform'));
const planPath = path.resolve(process.argv[3] || path.join(repo, 'fixtures', 'reference-platform', 'plan.json'));
const rootDir = process.argv[4] || 'platform';

const inventory = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'inventory.js'), hclRoot],
  { encoding: 'utf8', maxBuffer: 64 << 20 })).modules;
const plan = JSON.parse(fs.readFileSync(planPath, 'utf8'));
const config = plan.configuration;

const problems = [];
const checked = new Set();
let calls = 0;

function sorted(list) {
  return [...list].sort();
}

function sameList(what, fromPlan, fromHcl) {
  const a = sorted(fromPlan);
  const b = sorted(fromHcl);
  const missing = b.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !b.includes(x));
  for (const x of missing) problems.push(`${what}: ${x} is in the HCL but not in the plan`);
  for (const x of extra) problems.push(`${what}: ${x} is in the plan but not in the HCL`);
}

// Provider blocks of one module instance, from configuration.provider_config. An entry with
// neither expressions nor an alias and no module_address is the implicit configuration
// Terraform records for a provider the root requires without configuring it.
function planProviders(moduleAddress) {
  const out = [];
  for (const pc of Object.values(config.provider_config || {})) {
    const addr = pc.module_address || '';
    if (addr !== moduleAddress) continue;
    if (!addr && !pc.alias && !pc.expressions) continue;
    out.push(pc.alias ? `${pc.name}.${pc.alias}` : pc.name);
  }
  return out;
}

function walk(module, dir, moduleAddress) {
  calls += 1;
  const where = `${moduleAddress || '(root)'} (${dir})`;
  const inv = inventory[dir];
  if (!inv) {
    problems.push(`${where}: no HCL module directory ${dir}`);
    return;
  }
  checked.add(dir);

  const resources = (module.resources || []).filter((r) => r.mode === 'managed').map((r) => `${r.type}.${r.name}`);
  const data = (module.resources || []).filter((r) => r.mode === 'data').map((r) => `data.${r.type}.${r.name}`);
  sameList(`${where} resources`, resources, inv.resources);
  sameList(`${where} data sources`, data, inv.data);

  const repetition = [];
  for (const r of module.resources || []) {
    const addr = r.mode === 'data' ? `data.${r.type}.${r.name}` : `${r.type}.${r.name}`;
    if (r.count_expression) repetition.push(`${addr}=count`);
    if (r.for_each_expression) repetition.push(`${addr}=for_each`);
  }
  for (const [name, call] of Object.entries(module.module_calls || {})) {
    if (call.count_expression) repetition.push(`module.${name}=count`);
    if (call.for_each_expression) repetition.push(`module.${name}=for_each`);
  }
  sameList(`${where} count/for_each`, repetition, Object.entries(inv.repetition).map(([k, v]) => `${k}=${v}`));

  const planCalls = Object.entries(module.module_calls || {}).map(([name, call]) => `${name} <- ${call.source}`);
  sameList(`${where} module calls`, planCalls, Object.entries(inv.module_calls).map(([n, s]) => `${n} <- ${s}`));

  sameList(`${where} provider blocks`, planProviders(moduleAddress),
    inv.providers.map((p) => (p.alias ? `${p.name}.${p.alias}` : p.name)));

  for (const [name, call] of Object.entries(module.module_calls || {})) {
    const childDir = path.posix.normalize(path.posix.join(dir, call.source));
    const childAddress = moduleAddress ? `${moduleAddress}.module.${name}` : `module.${name}`;
    walk(call.module || {}, childDir, childAddress);
  }
}

walk(config.root_module, rootDir, '');
for (const dir of Object.keys(inventory)) {
  if (!checked.has(dir)) problems.push(`${dir}: HCL module directory not reached from ${rootDir}/`);
}

const shownPlan = path.relative(process.cwd(), planPath) || planPath;
if (problems.length > 0) {
  for (const p of problems) console.log(`FAIL  ${p}`);
  console.log(`${shownPlan} and ${path.relative(process.cwd(), hclRoot) || hclRoot}: ${problems.length} difference(s)`);
  process.exit(1);
}
console.log(`ok    ${shownPlan} declares what the HCL declares: ${calls} module calls, ` +
  `${checked.size} module directories (resources, data sources, count/for_each, module calls, provider blocks)`);
