import { describe, expect, it } from 'vitest';
import { ADAPTIVE_OUTPUT, OutputBudget } from './output-budget.js';

/**
 * Feeds `count` acceptances at the device's pace from `t` (each chunk as long as the budget
 * said when it was written), each `late(i)` ms late; returns the time after the last one.
 */
function accept(b: OutputBudget, t: number, count: number, late: (i: number) => number = () => 0): number {
  for (let i = 0; i < count; i++) {
    const blocks = b.blocks;
    b.onAccepted(t + late(i), blocks);
    t += blocks * 10;
  }
  return t;
}

/**
 * Runs `count` chunks the way the output does: each written when the budget plans (`writeLate(i)`
 * ms after that), accepted when the device frees the slot or, if the write came after that, at
 * once. Returns the device time after the last chunk.
 */
function run(b: OutputBudget, t: number, count: number, writeLate: (i: number) => number = () => 0): number {
  for (let i = 0; i < count; i++) {
    const blocks = b.blocks;
    const planned = b.writeAt();
    let accepted = t;
    if (planned !== undefined) {
      const wrote = planned + writeLate(i);
      b.onWrite(wrote, planned);
      if (wrote > accepted) accepted = wrote;
    }
    b.onAccepted(accepted, blocks);
    t += blocks * 10;
  }
  return t;
}

describe('OutputBudget', () => {
  it('shrinks to one-block chunks written 4 ms ahead of the device when the host always answers on time', () => {
    const b = new OutputBudget(ADAPTIVE_OUTPUT);
    expect(b.blocks).toBe(3);
    expect(b.slackMs()).toBe(60);
    expect(b.writeAt()).toBeUndefined();
    const t = run(b, 0, 2000);
    expect(b.blocks).toBe(1);
    expect(b.leadMs).toBe(4);
    expect(b.slackMs()).toBe(14);
    expect(b.grew).toBe(0);
    // The device frees the slot for the next chunk at t; the chunk is written 4 ms before.
    expect(b.writeAt()).toBeCloseTo(t - 4, 6);
  });

  it('a fixed one-chunk budget never defers its writes', () => {
    const b = new OutputBudget({ ...ADAPTIVE_OUTPUT, startBlocks: 1, minBlocks: 1, maxBlocks: 1, minLeadMs: 10 });
    run(b, 0, 2000);
    expect(b.blocks).toBe(1);
    expect(b.leadMs).toBe(10);
    expect(b.writeAt()).toBeUndefined();
  });

  it('climbs from a deferred lead when its writes run late, and stays up while they do', () => {
    const b = new OutputBudget(ADAPTIVE_OUTPUT);
    let t = run(b, 0, 400);
    expect(b.leadMs).toBe(4);
    // A write 11 ms late now and then: 14 ms of slack keeps less than half a block from it.
    t = run(b, t, 400, (i) => (i % 50 === 49 ? 11 : 0));
    expect(b.grew).toBe(1);
    expect(b.blocks).toBe(1);
    expect(b.leadMs).toBe(7);
    run(b, t, 1000, (i) => (i % 50 === 49 ? 11 : 0));
    expect(b.leadMs).toBe(7);
    expect(b.shrank).toBe(1);
  });

  it('counts a deferred write later than one chunk plus its lead as a starvation', () => {
    const b = new OutputBudget(ADAPTIVE_OUTPUT);
    const t = run(b, 0, 400);
    expect(b.leadMs).toBe(4);
    run(b, t, 10, (i) => (i === 5 ? 15 : 0));
    expect(b.starved).toBe(1);
    expect(b.leadMs).toBe(7);
  });

  it('grows at once when the host answers late, and does not shrink while that goes on', () => {
    const b = new OutputBudget({ ...ADAPTIVE_OUTPUT, startBlocks: 1 });
    let t = accept(b, 0, 50);
    // A 25 ms stall every 300 ms: one-block chunks (20 ms of slack) cannot absorb it.
    t = accept(b, t, 1000, (i) => (i % 30 === 29 ? 25 : 0));
    expect(b.blocks).toBe(2);
    expect(b.grew).toBe(1);
    accept(b, t, 1000, (i) => (i % 15 === 14 ? 25 : 0));
    expect(b.blocks).toBe(2);
  });

  it('shrinks after one calm window straight to the fewest blocks that cover the lateness it saw', () => {
    const calm = new OutputBudget({ ...ADAPTIVE_OUTPUT, startBlocks: 4 });
    // 3.5 s of four-block chunks: one calm window and a little more.
    accept(calm, 0, 88);
    expect(calm.blocks).toBe(1);
    expect(calm.shrank).toBe(1);

    // 12 ms late now and then: one-block chunks (20 ms of slack) would not keep the guard.
    const jittery = new OutputBudget({ ...ADAPTIVE_OUTPUT, startBlocks: 4 });
    const t = accept(jittery, 0, 88, (i) => (i % 10 === 9 ? 12 : 0));
    expect(jittery.blocks).toBe(2);
    accept(jittery, t, 3000, (i) => (i % 10 === 9 ? 12 : 0));
    expect(jittery.blocks).toBe(2);
    expect(jittery.grew).toBe(0);
  });

  it('never goes beyond its bounds and counts acceptances late enough to have starved the device', () => {
    const b = new OutputBudget(ADAPTIVE_OUTPUT);
    let t = accept(b, 0, 20);
    for (let k = 0; k < 20; k++) {
      // A 200 ms freeze: that chunk is accepted late, then the pace resumes.
      t = accept(b, t, 30, (i) => (i === 10 ? 200 : 0));
      t += 200;
    }
    expect(b.blocks).toBe(ADAPTIVE_OUTPUT.maxBlocks);
    expect(b.starved).toBeGreaterThan(0);
  });

  it('raise() restores the starting headroom and holds it for a window', () => {
    const b = new OutputBudget(ADAPTIVE_OUTPUT);
    let t = accept(b, 0, 2000);
    expect(b.blocks).toBe(1);
    b.raise(3);
    expect(b.blocks).toBe(3);
    t = accept(b, t, 50);
    expect(b.blocks).toBe(3);
    accept(b, t, 2000);
    expect(b.blocks).toBe(1);
  });
});
