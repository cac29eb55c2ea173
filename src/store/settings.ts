/** What a server chose with /setup (stored by src/store/sql/settings.ts). */
export interface GuildSettings {
  guildId: string;
  channelId: string;
  roleId?: string;
  /** Publish announcements to the channel's followers; unset: yes, when it is an announcement channel. */
  publish?: boolean;
  /** Offer a "🔔 Notify me" button for the ping role; unset: yes, when a ping role is set. */
  notifyButton?: boolean;
  /** Digest mode: one message a day at this hour (UTC, 0-23) instead of a post per story. */
  digestHour?: number;
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
