import Parser from 'rss-parser';

/** `new Parser().parseURL(url)` one after another: the baseline the issue names. */
export async function naiveLoop(urls: string[]): Promise<{ failed: number; items: number; failures: string[] }> {
  let failed = 0;
  let items = 0;
  const failures: string[] = [];
  for (const url of urls) {
    try {
      const feed = await new Parser().parseURL(url);
      items += feed.items.length;
    } catch (error) {
      failed++;
      if (failures.length < 5) failures.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { failed, items, failures };
}
