/**
 * Benchmark 4: topic filter throughput — `judge` from src/engine/relevance.ts with `loadTopic()`,
 * items per second over the labelled sets (title + summary), and over items of the benchmark
 * feeds as the poll cycle judges them (title + summary + full text).
 */
import { normalizeFeed } from '../../src/engine/normalize.ts';
import { parseFeed } from '../../src/engine/parse.ts';
import { judge, type JudgeInput } from '../../src/engine/relevance.ts';
import { loadTopic, type Topic } from '../../src/engine/topic.ts';
import { feedDocument, loadLabelledItems } from './feed-content.ts';
import { longAnchorsDocument, readTopicTerms } from './long-anchors.ts';
import type { Workload } from './workloads.ts';
import { num, pct, type Section } from './report.ts';

export interface TopicFilterOptions {
  /** Each measured round judges the whole set this many times. */
  repeat: number;
  /** Rounds; the median is reported. */
  rounds: number;
  /** Feed documents (about 60 KB each) of each workload whose items make the second and third mixes. */
  feedDocs: number;
}

export interface Throughput {
  items: number;
  /** Median over the rounds. */
  itemsPerSecond: number;
  /** Slowest and fastest rounds. */
  minItemsPerSecond: number;
  maxItemsPerSecond: number;
  /** Mean input size judged, characters. */
  meanChars: number;
}

export interface TopicFilterResult {
  sources: string[];
  labelled: Throughput & { setSize: number; relevant: number; agreement: number };
  feedItems: Throughput & { setSize: number; relevant: number };
  /** The long-anchors workload's items: most reach the full matcher. */
  longItems: Throughput & { setSize: number; relevant: number };
}

function throughput(inputs: JudgeInput[], topic: Topic, options: TopicFilterOptions): Throughput {
  for (const input of inputs) judge(input, topic); // warm-up
  const rates: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const t0 = performance.now();
    for (let r = 0; r < options.repeat; r++) for (const input of inputs) judge(input, topic);
    rates.push((inputs.length * options.repeat) / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const chars = inputs.reduce((sum, i) => sum + i.title.length + (i.summary?.length ?? 0) + (i.fullText?.length ?? 0), 0);
  return {
    items: inputs.length * options.repeat * options.rounds,
    itemsPerSecond: rates[Math.floor(rates.length / 2)]!,
    minItemsPerSecond: rates[0]!,
    maxItemsPerSecond: rates.at(-1)!,
    meanChars: inputs.length ? chars / inputs.length : 0,
  };
}

export async function runTopicFilterBench(options: TopicFilterOptions): Promise<TopicFilterResult> {
  const topic = loadTopic();
  const { items: labelled, sources } = loadLabelledItems();
  const labelledInputs = labelled.map((i) => ({ title: i.title, summary: i.summary }));
  const agreeing = labelled.filter((item, i) => judge(labelledInputs[i]!, topic).relevant === item.relevant).length;

  const now = new Date();
  const inputsOf = async (xml: string, d: number): Promise<JudgeInput[]> =>
    normalizeFeed(await parseFeed(xml), { feed: `https://site${d}.example.com/feed`, now }).map((item) => ({ title: item.title, summary: item.summary, ...(item.fullText ? { fullText: item.fullText } : {}) }));
  const feedInputs: JudgeInput[] = [];
  const longInputs: JudgeInput[] = [];
  const terms = readTopicTerms();
  for (let d = 0; d < options.feedDocs; d++) {
    feedInputs.push(...(await inputsOf(feedDocument({ index: d, targetBytes: 60_000, labelled, now }).xml, d)));
    longInputs.push(...(await inputsOf(longAnchorsDocument({ index: d, targetBytes: 60_000, now, topic: terms }).xml, d)));
  }
  const quarter = { ...options, repeat: Math.max(1, Math.round(options.repeat / 4)) };
  return {
    sources,
    labelled: {
      ...throughput(labelledInputs, topic, options),
      setSize: labelled.length,
      relevant: labelled.filter((i) => i.relevant).length,
      agreement: agreeing / labelled.length,
    },
    feedItems: {
      ...throughput(feedInputs, topic, quarter),
      setSize: feedInputs.length,
      relevant: feedInputs.filter((i) => judge(i, topic).relevant).length,
    },
    longItems: {
      ...throughput(longInputs, topic, quarter),
      setSize: longInputs.length,
      relevant: longInputs.filter((i) => judge(i, topic).relevant).length,
    },
  };
}

/** `coldItems`: items a cold cycle of each workload reads, to put the rates in proportion. */
export function topicFilterSection(r: TopicFilterResult, coldItems: Partial<Record<Workload, number>> = {}): Section {
  const perCycle = (rate: number, workload: Workload) => {
    const items = coldItems[workload];
    return items ? `${num(items)} items of a cold cycle ≈ ${((items / rate) * 1000).toFixed(0)} ms` : '';
  };
  return {
    title: '4. Topic filter throughput',
    rows: [
      {
        metric: `Labelled headlines (${num(r.labelled.setSize)} items, ${r.labelled.relevant} on topic; mean ${num(r.labelled.meanChars)} chars)`,
        measured: `${num(r.labelled.itemsPerSecond)} items/s`,
        target: '— (none set)',
        pass: null,
        ratio: `rounds ${num(r.labelled.minItemsPerSecond)}–${num(r.labelled.maxItemsPerSecond)}/s; agrees with ${pct(r.labelled.agreement)} of labels`,
      },
      {
        metric: `Benchmark feed items with full text (${num(r.feedItems.setSize)} items, ${r.feedItems.relevant} on topic; mean ${num(r.feedItems.meanChars)} chars)`,
        measured: `${num(r.feedItems.itemsPerSecond)} items/s`,
        target: '— (none set)',
        pass: null,
        ratio: [`rounds ${num(r.feedItems.minItemsPerSecond)}–${num(r.feedItems.maxItemsPerSecond)}/s`, perCycle(r.feedItems.itemsPerSecond, 'news')].filter(Boolean).join('; '),
      },
      {
        metric: `Long items naming anchors, long-anchors workload (${num(r.longItems.setSize)} items, ${r.longItems.relevant} on topic; mean ${num(r.longItems.meanChars)} chars)`,
        measured: `${num(r.longItems.itemsPerSecond)} items/s`,
        target: '— (none set)',
        pass: null,
        ratio: [`rounds ${num(r.longItems.minItemsPerSecond)}–${num(r.longItems.maxItemsPerSecond)}/s`, perCycle(r.longItems.itemsPerSecond, 'long-anchors')].filter(Boolean).join('; '),
      },
    ],
    notes: ['The issue sets no throughput target; the feed lines put the filter’s share of a cold cycle of each workload in proportion.'],
    how: [
      `\`judge(input, loadTopic())\` in a tight loop on the main thread, after one warm-up pass; median items/s of several rounds. Labelled mix: every item of ${r.sources.join(', ')} (title + summary), repeated.`,
      'Feed mixes: the items of benchmark-1-style feeds after parseFeed and normalizeFeed (title, summary and content:encoded full text), as the poll cycle judges them. Film news: ~90 % general film news that never names Alita and exits early, ~10 % labelled headlines. Long items: the `long-anchors` workload (scripts/bench/long-anchors.ts), most of which name the film and a sequel word and so run the full matcher.',
    ],
  };
}
