// The one way the UI talks to the app: typed from the generated bindings, so a command's name,
// input and output are checked against the Rust definitions at build time.
import { invoke } from '@tauri-apps/api/core';
import type { Bindings, UiError } from '../bindings/types';

export type Commands = Bindings['commands'];
export type CommandName = keyof Commands;
export type Input<K extends CommandName> = Commands[K]['args'] extends { input: infer I } ? I : never;
export type Output<K extends CommandName> = Commands[K]['result'];

/** An error from a command, or from the bridge itself, always with a stable code. */
export class AppError extends Error {
  readonly code: string;
  readonly fields: UiError['fields'];
  readonly retryAfterSeconds: number | null;
  constructor(e: UiError) {
    super(e.message);
    this.code = e.code;
    this.fields = e.fields ?? [];
    this.retryAfterSeconds = e.retry_after_seconds ?? null;
  }
}

export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e && typeof e === 'object' && typeof (e as UiError).code === 'string') {
    const u = e as UiError;
    return new AppError({
      code: u.code,
      message: typeof u.message === 'string' ? u.message : '',
      fields: Array.isArray(u.fields) ? u.fields : [],
      retry_after_seconds: u.retry_after_seconds ?? null,
    });
  }
  return new AppError({ code: 'app.unexpected', message: '', fields: [], retry_after_seconds: null });
}

type ArgList<K extends CommandName> = Commands[K]['args'] extends null ? [] : [Input<K>];

export async function call<K extends CommandName>(cmd: K, ...input: ArgList<K>): Promise<Output<K>> {
  try {
    return (await invoke(cmd, input.length ? { input: input[0] } : {})) as Output<K>;
  } catch (e) {
    throw toAppError(e);
  }
}

/** The event the app sends when it locks itself after idle time. */
export const LOCKED_EVENT = 'grabpack://locked';
