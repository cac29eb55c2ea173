/**
 * data/people.json: who the bot may quote, by every name the press uses, and who else shares those
 * names. Validated at start like topic.json: a malformed file stops the bot with one line.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { dataFile } from '../../data-dir.ts';

const personSchema = z.object({
  name: z.string().min(3),
  role: z.string().min(1).optional(),
  names: z.array(z.string().min(2)).min(1),
  namesakes: z.array(z.string().min(3)).default([]),
  /** Their part in the film as the press says it instead of the name: "the director said". */
  titles: z.array(z.string().min(1)).default([]),
});

const peopleSchema = z.object({
  about: z.string().optional(),
  people: z.array(personSchema).min(1),
  characters: z.array(z.string().min(2)).default([]),
});

export type Person = z.infer<typeof personSchema>;
export type People = z.infer<typeof peopleSchema>;

export const DEFAULT_PEOPLE_PATH = dataFile('people.json');

export class PeopleFileError extends Error {}

/** Reads and checks the file; throws PeopleFileError with one line naming the file and the field. */
export function loadPeople(path: string | URL = DEFAULT_PEOPLE_PATH): People {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PeopleFileError(`${String(path)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parsePeople(raw, String(path));
}

export function parsePeople(raw: unknown, where = 'people.json'): People {
  const parsed = peopleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PeopleFileError(`${where}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const seen = new Map<string, string>();
  for (const person of parsed.data.people) {
    if (!person.names.includes(person.name)) throw new PeopleFileError(`${where}: ${person.name}: its full name must be one of its names`);
    for (const name of person.names) {
      const other = seen.get(name);
      if (other && other !== person.name) throw new PeopleFileError(`${where}: "${name}" names both ${other} and ${person.name}`);
      seen.set(name, person.name);
    }
  }
  return parsed.data;
}
