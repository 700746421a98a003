import type { JsonObject } from '../intrinsics.js';
export function addDefaultDefinitionBodies(_resources: Record<string, JsonObject>): void {}
export function addImplicitApis(_sam: JsonObject, _globals: Record<string, JsonObject>): void {}
