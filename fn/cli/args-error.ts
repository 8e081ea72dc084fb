/**
 * node's parseArgs errors in the command line's words: its own text names its API ("place it at the end of
 * the command after '--'") and quotes unevenly. The option as the user wrote it, and what is wrong with it.
 */
const WORDS: readonly { test: RegExp; say: (option: string) => string }[] = [
  { test: /^Unknown option/, say: (option) => `unknown option ${option}` },
  { test: /argument missing$/, say: (option) => `${option} needs a value` },
  { test: /does not take an argument$/, say: (option) => `${option} takes no value` },
  // `--proxy-in-port -1`: parseArgs takes -1 for an option and explains its own syntax over three lines.
  {
    test: /argument is ambiguous/,
    say: (option) => `${option} needs a value; one starting with - goes as ${option}=-1`,
  },
];

export function argsError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // The option between the first pair of single quotes, without parseArgs' `<value>`.
  const option = /'([^']+)'/.exec(message)?.[1].replace(/ <value>$/, '');
  const words = option === undefined ? undefined : WORDS.find((w) => w.test.test(message));
  return words ? words.say(option!) : message;
}
