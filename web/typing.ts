/**
 * A setting changes every workload's outcome: with a large package, following each keystroke would reprocess
 * them all. So a typed field is followed once the typing pauses, when the field is left, or before anything
 * else reads the state (flushTyping: a step, a re-render, the page hidden). The fields waiting are the one
 * thing held here, for flushTyping to reach from anywhere.
 */
export const TYPING_PAUSE_MS = 250;

const waiting = new Set<() => void>();

/** Handlers for a text field whose value `follow` reads: `input` on each keystroke, `leave` on blur. */
export function typing(follow: () => void): { input: () => void; leave: () => void } {
  let pending: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    clearTimeout(pending);
    pending = undefined;
    waiting.delete(run);
    follow();
  };
  return {
    input: () => {
      clearTimeout(pending);
      pending = setTimeout(run, TYPING_PAUSE_MS);
      waiting.add(run);
    },
    leave: () => void (pending !== undefined && run()),
  };
}

/** Follows whatever was typed and not yet followed: before the state is read for anything else. */
export function flushTyping(): void {
  for (const run of [...waiting]) run();
}
