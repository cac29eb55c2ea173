// Application command registration, global and per guild.
import { errors } from './http.ts';
import type { Call, Route } from './rest.ts';
import type { World } from './world.ts';

export function commandRoutes(world: World): Route[] {
  const scopeOf = (c: Call): string => {
    if (c.params.app !== world.applicationId) throw errors.missingAccess();
    if (c.params.guild === undefined) return 'global';
    if (!world.guild(c.params.guild)) throw errors.missingAccess();
    return c.params.guild;
  };
  const one = (c: Call) => {
    const command = world.commands(scopeOf(c)).find((x) => x.id === c.params.id);
    if (!command) throw errors.unknownCommand();
    return command;
  };

  return ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands'].flatMap((base): Route[] => [
    { method: 'GET', pattern: base, handle: (c) => ({ status: 200, body: world.commands(scopeOf(c)) }) },
    {
      method: 'PUT', pattern: base, precheck: (c) => void scopeOf(c),
      handle: (c) => {
        const list = Array.isArray(c.rawBody) ? (c.rawBody as Record<string, unknown>[]) : [];
        return { status: 200, body: world.setCommands(scopeOf(c), list) };
      },
    },
    {
      method: 'POST', pattern: base, precheck: (c) => void scopeOf(c),
      handle: (c) => {
        const scope = scopeOf(c);
        const existed = world.commands(scope).some((x) => x.name === c.body.name && x.type === (c.body.type ?? 1));
        // Discord answers 201 for a new command and 200 when it replaced one of the same name.
        return { status: existed ? 200 : 201, body: world.upsertCommand(scope, c.body) };
      },
    },
    { method: 'GET', pattern: `${base}/:id`, handle: (c) => ({ status: 200, body: one(c) }) },
    {
      method: 'DELETE', pattern: `${base}/:id`,
      handle: (c) => {
        world.deleteCommand(scopeOf(c), one(c).id);
        return { status: 204 };
      },
    },
  ]);
}
