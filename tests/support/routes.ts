// What the running app serves, read from Nest's metadata and cross-checked against express's
// router: the route and socket-event lists the authorization matrix and the audit-coverage guard
// are generated from, so a route added later is covered without editing either test.
import { RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { GATEWAY_METADATA, GATEWAY_OPTIONS, MESSAGE_MAPPING_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ALLOW_PENDING_PASSWORD_KEY, AuthGuard, Role, ROLES_KEY } from '@app/identity';
import { KioskGuard } from '@app/offline';
import { IS_PUBLIC } from '@app/platform';
import { API_PREFIX } from '../../apps/api/src/bootstrap';

/** A class's methods as Nest scans them: its own and those it inherits (a base controller's routes are served too). */
const handlerNames = (cls: { prototype: object }): string[] => new MetadataScanner().getAllMethodNames(cls.prototype);

export interface RouteInfo {
  /** e.g. "GET /api/v1/organisations" — what the tables below are keyed by. */
  key: string;
  method: string;
  /** Express path with `:params`. */
  path: string;
  isPublic: boolean;
  /** undefined: any logged-in role. */
  roles?: Role[];
  allowPending: boolean;
  /** Declared with @All (the tus endpoint): listed as GET, answers every method. */
  anyMethod: boolean;
  /** Behind KioskGuard: public to the login guard, reachable only with a kiosk credential. */
  kiosk: boolean;
}

const join = (...parts: string[]) => '/' + parts.flatMap((p) => p.split('/')).filter(Boolean).join('/');

/** Method + path pairs express really routes (Express 5: app.router.stack). */
function expressRoutes(app: NestExpressApplication): Set<string> {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } })
    .router;
  const out = new Set<string>();
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const [m, on] of Object.entries(layer.route.methods)) if (on) out.add(`${m.toUpperCase()} ${layer.route.path}`);
  }
  return out;
}

export function discoverRoutes(app: NestExpressApplication): RouteInfo[] {
  const reflector = app.get(Reflector);
  const served = expressRoutes(app);
  const routes: RouteInfo[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
      if (!cls) continue;
      const classPaths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
      for (const name of handlerNames(cls)) {
        const handler = cls.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler);
        if (methodPaths === undefined) continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const method = requestMethod === RequestMethod.ALL ? 'GET' : RequestMethod[requestMethod];
        for (const cp of classPaths) {
          for (const mp of ([] as string[]).concat(methodPaths)) {
            // Prefixed unless the app excludes it (health): ask the router which one it serves.
            const candidates = [join(API_PREFIX, cp, mp), join(cp, mp)];
            const path = candidates.find((p) => served.has(`${method} ${p}`));
            if (!path) throw new Error(`route ${method} ${candidates[0]} is declared but express does not serve it`);
            const targets = [handler, cls];
            routes.push({
              key: `${method} ${path}`,
              method,
              path,
              isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
              roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
              allowPending: reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_KEY, targets) === true,
              anyMethod: requestMethod === RequestMethod.ALL,
              kiosk: [...(Reflect.getMetadata(GUARDS_METADATA, cls) ?? []), ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? [])].includes(KioskGuard),
            });
          }
        }
      }
    }
  }
  return routes;
}

export interface SocketEvent {
  key: string;
  event: string;
  namespace: string;
  isPublic: boolean;
  guarded: boolean;
}

/**
 * Nest does not apply global guards to gateways, so every socket event must be @Public() or
 * carry @UseGuards(AuthGuard) (on the gateway or the handler).
 */
export function discoverSocketEvents(app: NestExpressApplication): SocketEvent[] {
  const reflector = app.get(Reflector);
  const out: SocketEvent[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.providers.values()) {
      const cls = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
      if (!cls || typeof cls !== 'function' || !Reflect.getMetadata(GATEWAY_METADATA, cls)) continue;
      for (const name of handlerNames(cls)) {
        const handler = cls.prototype[name];
        if (typeof handler !== 'function' || !Reflect.getMetadata(MESSAGE_MAPPING_METADATA, handler)) continue;
        const guards = [...(Reflect.getMetadata(GUARDS_METADATA, cls) ?? []), ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? [])];
        const event = String(Reflect.getMetadata(MESSAGE_METADATA, handler));
        out.push({
          key: `${cls.name} ${event}`,
          event,
          namespace: (Reflect.getMetadata(GATEWAY_OPTIONS, cls) as { namespace?: string } | undefined)?.namespace ?? '/',
          isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, cls]) === true,
          guarded: guards.includes(AuthGuard),
        });
      }
    }
  }
  return out;
}
