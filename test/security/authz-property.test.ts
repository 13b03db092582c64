import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, tempDir } from '../helpers/project.js';
import { appBackends } from './authz-apps.js';
import type { RunningApp } from './authz-apps.js';
import { checkCombos, expected, expectModelMatchesApp, MODEL_ROUTES, resourcesOf, seedModelWorld, straysOf } from './authz-model.js';
import type { Combo, ModelWorld } from './authz-model.js';

/**
 * Issue 20 "How it is tested": random role / scope / route / parameter combinations, seeded so a
 * failure replays, each decided by the real app and by the reference model in authz-model.ts.
 */
const SEED = 0x20_2026;
const COMBOS: Record<string, number> = { 'embedded store': 3000, 'PostgreSQL + Redis': 1500 };

/** mulberry32: a small seeded generator, so the same seed draws the same combinations. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function drawCombos(w: ModelWorld, count: number, seed: number): Combo[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const routes = Object.keys(MODEL_ROUTES);
  const callers = [...w.users, ...w.keys];
  return Array.from({ length: count }, () => {
    const routeKey = pick(routes);
    const route = MODEL_ROUTES[routeKey] as (typeof MODEL_ROUTES)[string];
    // Half the draws carry no stray id, so the role decisions get as many cases as the refusals.
    const strays = straysOf(routeKey);
    const stray = next() < 0.5 ? strays[0] : pick(strays.slice(1));
    return { routeKey, caller: pick(callers), resource: pick(resourcesOf(route)), stray: stray ?? { where: 'none' } };
  });
}

const backends = await appBackends();

describe.each(backends)('authorization decisions against the reference model ($name)', (backend) => {
  let running: RunningApp;
  let workspace: string;
  beforeAll(async () => {
    if (backend.skip) return;
    workspace = await tempDir('roach-authz-prop-');
    running = await backend.start({ ROACH_WORKSPACE_ROOTS: workspace, ROACH_OUTBOUND_ALLOW: '127.0.0.1/32', ROACH_RATE_LIMIT: '100000000' });
  }, 60_000);
  afterAll(async () => {
    if (backend.skip) return;
    await running.close();
    await cleanupTemp();
  });

  const count = COMBOS[backend.name] ?? 1000;
  it.skipIf(backend.skip)(`agrees with the model on ${count} seeded random combinations (seed ${SEED})`, async () => {
    const app = running.app;
    expectModelMatchesApp(app);
    const w = await seedModelWorld(app, workspace, 'prop');
    const combos = drawCombos(w, count, SEED);
    const { sent, failures } = await checkCombos(app, w, combos);
    expect(failures.slice(0, 20)).toEqual([]);
    // Only allowed event streams are held back (they would stay open): nearly every draw is sent.
    expect(sent).toBeGreaterThan(count * 0.95);
    // The draws reach every kind of decision, each many times.
    const outcomes = new Map<string, number>();
    for (const c of combos) {
      const want = expected(c.caller, MODEL_ROUTES[c.routeKey] as (typeof MODEL_ROUTES)[string], c.resource, c.stray);
      outcomes.set(want, (outcomes.get(want) ?? 0) + 1);
    }
    for (const outcome of ['allowed', 'stray', 'forbidden', 'hidden']) expect(outcomes.get(outcome) ?? 0, outcome).toBeGreaterThan(count / 20);
  }, 600_000);
});
