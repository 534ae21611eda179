import { Problem, fail } from '../../lib/errors';

/**
 * The gates of one command run, and the one way past them: `--override "reason"`. Without it a
 * closed gate fails the command with its problem; with it every closed gate is passed and named in
 * the commit trailers the command's output ends with, beside the reason.
 */
export class Gates {
  private readonly passed: string[] = [];

  /**
   * @param at the command, named in errors
   * @param reason the `--override` flag's value, if given
   */
  constructor(at: string, private readonly reason: string | undefined) {
    if (reason !== undefined && reason.trim() === '') {
      fail({ at, field: '--override', value: reason, rule: 'must say why the gates are passed', fix: 'give --override "the reason", which the commit records' });
    }
    // scripts/commit-and-push.sh takes only the output's last `Key: value` lines as trailers: a second line would drop them all.
    if (reason !== undefined && /[\u0000-\u001f]/.test(reason)) {
      fail({ at, field: '--override', value: reason, rule: 'must be one line, since the commit records it as a trailer', fix: 'give the reason on one line' });
    }
  }

  /** Passes a closed gate when overridden, recording `trailer` (`Key: value`), or fails with `problem`. */
  public close(problem: Problem, trailer: string): void {
    if (this.reason === undefined) fail(problem);
    this.passed.push(trailer);
  }

  /** The trailers of every gate passed by the override, then the reason; none when no gate was closed. */
  public trailers(): string[] {
    return this.passed.length === 0 ? [] : [...this.passed, `Override-Reason: ${this.reason!.trim()}`];
  }
}

/** What an error says after its own fix when `--override` would pass the gate. */
export const OVERRIDE_HINT = 'or give --override "why" to record in the commit';
