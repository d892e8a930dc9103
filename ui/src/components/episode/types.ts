// What the episode screen hands to each of its sections.
import type { EpisodeView } from '../../bindings/types';

/** Runs a command that answers with the episode, shows it, and reports any error at the top. */
export type Act = (p: Promise<EpisodeView>, said?: string) => Promise<boolean>;
/** Shows problems found before calling the app (each linking to its field). */
export type Fail = (errors: { href?: string; text: string }[]) => void;

/** The event the app sends when the background sender changes a delivery or police acknowledge. */
export const OUTBOX_EVENT = 'grabpack://outbox';
