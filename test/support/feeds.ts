/** Builds small RSS documents for tests, so each test states only the items it cares about. */
export interface TestItem {
  title: string;
  link?: string;
  guid?: string;
  date?: string;
  summary?: string;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function rss(items: TestItem[], title = 'Test Feed'): string {
  const body = items
    .map(
      (item) => `<item><title>${esc(item.title)}</title>${item.link ? `<link>${esc(item.link)}</link>` : ''}${
        item.guid ? `<guid isPermaLink="false">${esc(item.guid)}</guid>` : ''
      }${item.date ? `<pubDate>${new Date(item.date).toUTCString()}</pubDate>` : ''}<description>${esc(item.summary ?? '')}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${esc(title)}</title><link>https://news.example.com/</link>${body}</channel></rss>`;
}
