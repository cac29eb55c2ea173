import type Keyv from 'keyv';

/** What a server chose with /setup. */
export interface GuildSettings {
  guildId: string;
  channelId: string;
  roleId?: string;
  updatedAt: string;
  updatedBy?: string;
}

/** A feed a moderator added with /feeds add. */
export interface AddedFeed {
  url: string;
  addedAt: string;
  addedBy?: string;
  guildId?: string;
}

export interface PollRecord {
  at: string;
  feeds: number;
  failed: number;
  announced: number;
}

/** Per-server settings, moderator-added feeds and the last poll, in the same Keyv store. */
export class SettingsStore {
  constructor(private readonly keyv: Keyv) {}

  async guilds(): Promise<GuildSettings[]> {
    const ids = (await this.keyv.get<string[]>('guilds')) ?? [];
    const all = await this.keyv.getMany<GuildSettings>(ids.map((id) => `guild:${id}`));
    return all.filter((g): g is GuildSettings => Boolean(g));
  }

  async guild(guildId: string): Promise<GuildSettings | undefined> {
    return (await this.keyv.get<GuildSettings>(`guild:${guildId}`)) ?? undefined;
  }

  async setGuild(settings: GuildSettings): Promise<void> {
    await this.keyv.set(`guild:${settings.guildId}`, settings);
    const ids = (await this.keyv.get<string[]>('guilds')) ?? [];
    if (!ids.includes(settings.guildId)) await this.keyv.set('guilds', [...ids, settings.guildId]);
  }

  async addedFeeds(): Promise<AddedFeed[]> {
    return (await this.keyv.get<AddedFeed[]>('feeds:added')) ?? [];
  }

  /** False when the feed was already there. */
  async addFeed(feed: AddedFeed): Promise<boolean> {
    const feeds = await this.addedFeeds();
    if (feeds.some((f) => f.url === feed.url)) return false;
    await this.keyv.set('feeds:added', [...feeds, feed]);
    return true;
  }

  async removeFeed(url: string): Promise<boolean> {
    const feeds = await this.addedFeeds();
    const kept = feeds.filter((f) => f.url !== url);
    if (kept.length === feeds.length) return false;
    await this.keyv.set('feeds:added', kept);
    return true;
  }

  async lastPoll(): Promise<PollRecord | undefined> {
    return (await this.keyv.get<PollRecord>('status:lastPoll')) ?? undefined;
  }

  async setLastPoll(record: PollRecord): Promise<void> {
    await this.keyv.set('status:lastPoll', record);
  }
}
