/** What a server chose with /setup (stored by src/store/sql/settings.ts). */
export interface GuildSettings {
  guildId: string;
  channelId: string;
  roleId?: string;
  updatedAt: string;
  updatedBy?: string;
}

/** What the last poll cycle did, for /status. */
export interface PollRecord {
  at: string;
  feeds: number;
  failed: number;
  announced: number;
}
