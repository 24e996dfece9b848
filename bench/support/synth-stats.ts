/**
 * Cost per resource above the floor, paired by round: the floor, ours and peer of one
 * round ran back to back under the same load, so the ratio of their increments is taken
 * per round and summarized. A goal is judged only when every round agrees.
 */
import { summarize, Summary } from './stats';

interface AppRuns { readonly resources: number; readonly wallSeconds: { readonly values: number[] } }

export function pairedPerResourceRatio(floor: AppRuns, ours: AppRuns, peer: AppRuns): Summary {
  const ratios = ours.wallSeconds.values.map((o, i) => {
    const f = floor.wallSeconds.values[i];
    const oursPer = (o - f) / (ours.resources - floor.resources);
    const peerPer = (peer.wallSeconds.values[i] - f) / (peer.resources - floor.resources);
    return peerPer > 0 ? oursPer / peerPer : NaN;
  });
  return summarize(ratios.filter(Number.isFinite));
}

/** met when every round is within the target, missed when none is, else inconclusive. */
export function judge(paired: Summary, target: number): 'met' | 'missed' | 'inconclusive' {
  if (paired.runs === 0) return 'inconclusive';
  if (paired.max <= target) return 'met';
  if (paired.min > target) return 'missed';
  return 'inconclusive';
}
